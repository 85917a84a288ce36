/**
 * Writing outputs atomically, and checking before a run that its outputs can be written: output
 * files, and the directories campaign artifacts go to (artifact_writer.ts writes those). Every
 * file is written atomically (a temporary file in the same directory, then rename), so an
 * interrupted campaign leaves whole files or none.
 */
import {
  closeSync, existsSync, fsyncSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, rmdirSync,
  statSync, writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { HarnessError } from '../errno/errors.js';

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
 * Check, creating nothing, that prepareOutDir could make `dir` (named after `flag` in the
 * message): it is a directory or does not exist yet, and the nearest directory above it that
 * exists takes a new file (tryCreate). Throws HarnessError(ERR_OUTPUT).
 */
export function checkOutDir(flag: string, dir: string): void {
  let d = resolve(dir);
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  try {
    if (!statSync(d).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    tryCreate(join(d, 'summary.json'));
  } catch (err) {
    throw new HarnessError('ERR_OUTPUT', `${flag} ${dir}: not a writable directory (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
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
