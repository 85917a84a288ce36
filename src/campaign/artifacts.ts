/**
 * Campaign artifacts under an output directory: per finding a replay file, a kernel-style text
 * report and a Perfetto / Chrome trace of its re-run, and for a stress finding one of its own
 * trial (finding_report.ts); per campaign a summary. Every file is written atomically
 * (a temporary file in the same directory, then rename), so an interrupted campaign leaves whole
 * files or none. Writes are serialised through one mutex: findings arrive from concurrent hunts.
 */
import {
  closeSync, existsSync, fsyncSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, rmdirSync,
  statSync, writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Mutex } from 'async-mutex';
import { HarnessError } from '../errno/errors.js';
import type { AnyScenario, Params } from '../exec/scenario.js';
import type { HuntFinding } from './hunt.js';
import { replayFile, type ReplayFile } from './replay_file.js';
import type { Reproduction } from './reproduce.js';
import { findingTraces, reportText } from './finding_report.js';

let tmpSerial = 0;

/** Write `data` to `path` atomically. Throws HarnessError(ERR_OUTPUT) naming the path. */
export function writeAtomic(path: string, data: string): void {
  writeAtomicAll([[path, data]]);
}

/**
 * Write each `[path, data]` atomically: every file goes to a temporary file first, flushed to
 * the disk, and they are renamed into place only once all are written (then their directories
 * are flushed too), so a failed write (a full disk, a bad directory) or a crash leaves none of
 * them half-written. A path that is a symbolic
 * link is written through to its target (a rename onto the link would replace the link). A
 * rename failing after others succeeded (same directory as its temporary file: unlikely) leaves
 * those. Throws HarnessError(ERR_OUTPUT) naming the path that failed; the temporary files are
 * removed.
 */
export function writeAtomicAll(files: readonly (readonly [string, string])[]): void {
  const targets = files.map(([path]) => landing(path));
  const tmps = targets.map(tmpBeside);
  let i = 0;
  try {
    for (; i < files.length; i++) writeDurably(tmps[i]!, files[i]![1]);
    for (i = 0; i < files.length; i++) renameSync(tmps[i]!, targets[i]!);
    for (const dir of new Set(targets.map((t) => dirname(t)))) syncDir(dir);
  } catch (err) {
    for (const tmp of tmps) {
      try { rmSync(tmp, { force: true }); } catch { /* never created: its directory is not one */ }
    }
    throw new HarnessError('ERR_OUTPUT', `${files[i]![0]}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** A fresh temporary file name beside `path` (in its directory, so a rename onto it is atomic). */
function tmpBeside(path: string): string {
  return `${path}.tmp-${process.pid}-${tmpSerial++}`;
}

/** The file a write to `path` should replace: the target of a symbolic link, else `path`
 *  itself (also when it does not exist yet, or is a dangling link). */
function landing(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Flush directory `dir`'s entries (the renames) to the disk; best effort: some file systems
 *  refuse to fsync a directory, and the files themselves are already there. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch { /* EISDIR / EINVAL on file systems that cannot: nothing more to do */ } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Create `path` with `data`, on the disk before it returns (fsync). */
function writeDurably(path: string, data: string): void {
  const fd = openSync(path, 'w');
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Create and remove a temporary file beside `path` (tmpBeside): whether the file system takes a
 *  new file there. access(2) is no answer: it grants root a write that the file system then
 *  refuses, as /proc does. Throws the system error. */
function tryCreate(path: string): void {
  const probe = tmpBeside(path);
  closeSync(openSync(probe, 'wx'));
  rmSync(probe, { force: true });
}

/** Check that writeAtomic can write `path` (named after `flag` in the message): the directory
 *  the file lands in (a symbolic link's target's) exists and takes a new file (tryCreate), and
 *  the path is not a directory. Throws HarnessError(ERR_OUTPUT). */
export function checkWritable(flag: string, path: string): void {
  const target = resolve(landing(path));
  const dir = dirname(target);
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    tryCreate(target);
  } catch (err) {
    throw new HarnessError('ERR_OUTPUT', `${flag} ${path}: directory ${dir} is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let isDir = false;
  try { isDir = statSync(path).isDirectory(); } catch { /* does not exist yet: fine */ }
  if (isDir) throw new HarnessError('ERR_OUTPUT', `${flag} ${path}: is a directory (expected a file name)`);
}

/**
 * Create `dir` (and parents) and check it takes a new file (tryCreate); throws ERR_OUTPUT with one
 * line, also when `dir` already holds a campaign (its summary.json would be replaced, its findings
 * orphaned). Returns the topmost directory it created (for removeEmptyDirs), undefined when `dir`
 * existed.
 */
export function prepareOutDir(dir: string): string | undefined {
  if (existsSync(join(dir, 'summary.json'))) {
    throw new HarnessError('ERR_OUTPUT', `--out ${dir}: already holds a campaign (summary.json); choose another directory`);
  }
  try {
    const created = makeDirs(dir);
    try {
      tryCreate(join(dir, 'summary.json'));
    } catch (err) {
      if (created !== undefined) removeEmptyDirs(dir, created);
      throw err;
    }
    return created;
  } catch (err) {
    throw new HarnessError('ERR_OUTPUT', `--out ${dir}: not a writable directory (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * checkWritable, and refuse an output that is the input file `input` (the run would replace what
 * it reads). Throws HarnessError(ERR_OUTPUT) naming `flag`.
 */
export function checkOutput(flag: string, path: string, input: string): void {
  checkWritable(flag, path);
  if (resolve(path) === resolve(input)) {
    throw new HarnessError('ERR_OUTPUT', `${flag} ${path}: the input file itself (expected another file name)`);
  }
}

/**
 * `mkdir -p dir`, one level at a time: Node's recursive mkdir retries for ever where mkdir fails
 * with ENOENT under an existing parent (/proc does). Returns the topmost directory it created.
 */
function makeDirs(dir: string): string | undefined {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
  for (const d of missing) mkdirSync(d);
  return missing[0];
}

/** Remove `dir` and its parents up to `top` (what prepareOutDir created), while they are empty. */
export function removeEmptyDirs(dir: string, top: string): void {
  const last = resolve(top);
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
    if (d === last || dirname(d) === d) return;
  }
}

/** File-name form of a finding title: `use-after-revoke in dma_engine_run` →
 *  `use-after-revoke-in-dma_engine_run`. */
export function slug(title: string): string {
  return title.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
}

export interface FindingArtifacts {
  readonly replayFile: string;
  readonly reportFile: string;
  /** The re-run's Perfetto trace. */
  readonly traceFile: string;
  /** A stress finding's: its trial's own Perfetto trace (HuntFinding.stressTrace). */
  readonly stressTraceFile?: string;
}

export interface ArtifactInput {
  readonly scenario: AnyScenario;
  readonly source: string | undefined;
  readonly params: Params;
  readonly finding: HuntFinding;
  /** The finding re-run with its trace (inline, or controlled for a stress yield order); its
   *  `finding` is the re-run's finding of `finding`'s title and code (reproduce's `code`). Absent
   *  for a stress finding whose parameters the controlled executor refuses (scheduledRules): the
   *  artifacts then carry the original finding and no trace. */
  readonly rerun?: Reproduction;
  /** For a stress finding: whether following its yield order under controlled reproduced it. */
  readonly stressReproduced?: boolean;
}

export class ArtifactWriter {
  private readonly lock = new Mutex();
  private serial = 0;
  /** What this writer wrote, and the directories it created (with prepareOutDir's result), for
   *  discard. */
  private readonly files: string[] = [];
  private readonly dirs: [string, string][] = [];

  constructor(readonly dir: string) {}

  /** Write the artifacts of one finding — its replay file, report and trace, and for a stress
   *  finding that carries its trial's trace a Perfetto trace of that too; returns their paths. */
  writeFinding(i: ArtifactInput): Promise<FindingArtifacts> {
    return this.lock.runExclusive(() => {
      const sub = join(this.dir, i.scenario.name);
      const created = prepareOutDir(sub);
      if (created !== undefined) this.dirs.push([sub, created]);
      const { stressTraceFile, ...paths } = this.freshPaths(sub, slug(i.finding.title));
      const traces = findingTraces(i);
      this.files.push(paths.replayFile, paths.reportFile, paths.traceFile);
      writeAtomic(paths.replayFile, `${JSON.stringify(findingReplay(i), null, 2)}\n`);
      writeAtomic(paths.reportFile, reportText(i));
      writeAtomic(paths.traceFile, JSON.stringify(traces.rerun));
      if (traces.stress === undefined) return paths;
      this.files.push(stressTraceFile);
      writeAtomic(stressTraceFile, JSON.stringify(traces.stress));
      return { ...paths, stressTraceFile };
    });
  }

  /** The next serial's artifact paths in `sub` for which no file exists: nothing is replaced. */
  private freshPaths(sub: string, name: string): Required<FindingArtifacts> {
    for (;;) {
      const base = join(sub, `${String(++this.serial).padStart(3, '0')}-${name}`);
      const paths = {
        replayFile: `${base}.replay.json`, reportFile: `${base}.report.txt`, traceFile: `${base}.trace.json`,
        stressTraceFile: `${base}.stress-trace.json`,
      };
      if (!Object.values(paths).some((p) => existsSync(p))) return paths;
    }
  }

  /**
   * Remove every file this writer wrote and the directories it created once empty: a run refused
   * as bad input part way leaves nothing half-written. Files that were there before stay: the
   * writer never replaces one.
   */
  discard(): Promise<void> {
    return this.lock.runExclusive(() => {
      for (const f of this.files.splice(0)) rmSync(f, { force: true });
      for (const [d, top] of this.dirs.splice(0)) removeEmptyDirs(d, top);
    });
  }

  /** Write the campaign summary (the `--json` document). */
  writeSummary(doc: unknown): Promise<void> {
    return this.lock.runExclusive(() => writeAtomic(join(this.dir, 'summary.json'), `${JSON.stringify(doc, null, 2)}\n`));
  }
}

/** The replay document of `i`'s finding: a stress finding that its controlled re-run reproduced
 *  is recorded with the re-run's exact schedule, as controlled. */
function findingReplay(i: ArtifactInput): ReplayFile {
  const f = i.finding;
  const followed = i.rerun?.reproduced === true && f.executor === 'stress';
  return replayFile({
    scenario: i.scenario, source: i.source, params: i.params, executor: followed ? 'controlled' : f.executor,
    strategy: f.strategy, seed: f.seed, finding: f, decisions: followed ? i.rerun?.result.decisions ?? f.decisions : f.decisions,
    lockdep: f.lockdep, lockdepUsage: f.lockdepUsage, stressPlan: f.stressPlan, stressStalls: f.stressStalls,
  });
}
