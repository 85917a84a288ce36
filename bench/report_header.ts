/**
 * The lines that open a bench report: what ran, when, on which commit and machine, and what the
 * host's copies looked like just before (copy_probe.ts): the figures below are ratios measured in
 * this one run, and these lines are their context.
 */
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import type { ProbeSummary } from './copy_probe.js';
import { probeBrief } from './copy_probe.js';

/**
 * The short commit of the checkout whose top directory is `dir`, with a note when tracked files
 * other than `ignore` (the report's own target, rewritten by the previous run) differ from it;
 * `no git checkout` when `dir` is not the top of one (an installed package, perhaps inside some
 * other repository) or git is missing.
 */
export function commitOf(dir: string, ignore?: string): string {
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  try {
    if (realpathSync(git('rev-parse', '--show-toplevel')) !== realpathSync(dir)) return 'no git checkout';
    const head = git('rev-parse', '--short', 'HEAD');
    const rel = ignore === undefined ? '..' : relative(realpathSync(dir), realOrResolved(ignore));
    const except = rel.startsWith('..') || isAbsolute(rel) ? [] : ['--', '.', `:(exclude)${rel}`];
    return git('status', '--porcelain', '--untracked-files=no', ...except) === '' ? head : `${head} with uncommitted changes`;
  } catch {
    return 'no git checkout';
  }
}

/** `path` with symbolic links resolved, as `dir` is compared; resolved only when it is missing. */
function realOrResolved(path: string): string {
  try { return realpathSync(path); } catch { return resolve(path); }
}

/** `date` as `YYYY-MM-DD hh:mm UTC`. */
export function utcMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export interface HeaderFacts {
  readonly command: string;
  readonly started: Date;
  readonly commit: string;
  /** The host copy probe before the suite, with its length and page size in words. */
  readonly probe?: { readonly summary: ProbeSummary; readonly what: string };
}

/** The report's opening paragraph (Markdown). */
export function reportHeader(f: HeaderFacts): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const lines = [
    `\`${f.command}\`, started ${utcMinute(f.started)} at commit ${f.commit}; ${availableParallelism()} CPUs (${cpu}), Node ${process.version}.`,
  ];
  if (f.probe !== undefined) lines.push(`Host just before (${f.probe.what}): ${probeBrief(f.probe.summary)}.`);
  return lines.join('\n');
}
