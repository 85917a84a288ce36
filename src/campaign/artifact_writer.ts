/**
 * Campaign artifacts under an output directory: per finding a replay file, a kernel-style text
 * report and a Perfetto / Chrome trace of its re-run, and for a stress finding one of its own
 * trial (finding_report.ts); per campaign a summary. A `stress` timing campaign's finding leaves
 * its report and its trial's trace only (writeStressRunFinding). Every file is written atomically
 * (artifacts.ts), and none is replaced. Writes are serialised through one mutex: findings arrive
 * from concurrent hunts.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Mutex } from 'async-mutex';
import type { AnyScenario, Params } from '../exec/scenario.js';
import { prepareOutDir, removeEmptyDirs, writeAtomic } from './artifacts.js';
import { findingTraces, reportText } from './finding_report.js';
import type { HuntFinding } from './hunt.js';
import { replayFile, type ReplayFile } from './replay_file.js';
import type { Reproduction } from './reproduce.js';

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

/** What a `stress` timing campaign's finding leaves (ArtifactWriter.writeStressRunFinding). */
export type StressRunArtifacts = Pick<FindingArtifacts, 'reportFile' | 'stressTraceFile'>;

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
  /** The finding is a `stress` timing campaign's: it has no re-run, and its trace is the stress
   *  run's (finding_report.ts STRESS_RUN). */
  readonly stressRun?: true;
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
    return this.inSub(i, ({ stressTraceFile, ...paths }) => {
      const traces = findingTraces(i);
      this.put(paths.replayFile, `${JSON.stringify(findingReplay(i), null, 2)}\n`);
      this.put(paths.reportFile, reportText(i));
      this.put(paths.traceFile, JSON.stringify(traces.rerun));
      if (traces.stress === undefined) return paths;
      this.put(stressTraceFile, JSON.stringify(traces.stress));
      return { ...paths, stressTraceFile };
    });
  }

  /** Write the artifacts of a `stress` timing campaign's finding (`i.stressRun`): its report and,
   *  when it carries its trial's trace, a Perfetto trace of that — no replay file, no re-run
   *  trace (the campaign re-runs nothing); named as writeFinding names them. */
  writeStressRunFinding(i: ArtifactInput): Promise<StressRunArtifacts> {
    return this.inSub(i, ({ reportFile, stressTraceFile }) => {
      const stress = findingTraces(i).stress;
      this.put(reportFile, reportText(i));
      if (stress === undefined) return { reportFile };
      this.put(stressTraceFile, JSON.stringify(stress));
      return { reportFile, stressTraceFile };
    });
  }

  /** Under the lock, in `i`'s scenario's directory (created as needed, for discard), `write` with
   *  fresh paths for `i`'s finding. */
  private inSub<T>(i: ArtifactInput, write: (paths: Required<FindingArtifacts>) => T): Promise<T> {
    return this.lock.runExclusive(() => {
      const sub = join(this.dir, i.scenario.name);
      const created = prepareOutDir(sub);
      if (created !== undefined) this.dirs.push([sub, created]);
      return write(this.freshPaths(sub, slug(i.finding.title)));
    });
  }

  /** Write `data` to `path` atomically, recorded for discard. */
  private put(path: string, data: string): void {
    this.files.push(path);
    writeAtomic(path, data);
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
