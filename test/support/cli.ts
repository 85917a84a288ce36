/**
 * Running the built command line (`dist/src/cli/main.js`) as a child process, and temp dirs that
 * are removed after each test.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

/** The repository root: this file runs as dist/test/support/cli.js. */
export const ROOT_URL = new URL('../../../', import.meta.url);
export const ROOT = fileURLToPath(ROOT_URL);
export const CLI = join(ROOT, 'dist/src/cli/main.js');

export interface CliRun { readonly code: number | null; readonly stdout: string; readonly stderr: string }

/** Longest one CLI run may take before it is killed (ms; its result then has code null). A run
 *  that takes seconds on a quiet machine takes 30–70 s under a load of 20 on 2 cores (process
 *  start, a TypeScript scenario compiled in each thread). */
export const CLI_RUN_MS = 120_000;

/** The time limit of a test that makes `runs` CLI runs: theirs added up. Vitest fails a
 *  synchronous test that outlasts its limit, even one that passed. */
export const cliRuns = (runs: number): number => runs * CLI_RUN_MS;

/** Run the CLI with `args` from the repository root. */
export function cli(...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: CLI_RUN_MS });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp dir, removed after the current test. */
export function tempDir(prefix = 'dmabuf-harness-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
