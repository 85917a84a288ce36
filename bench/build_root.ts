/**
 * Another checkout's build, for A/B benches (`--root DIR`). One thread loads one copy of the
 * harness (src/errno/errors.ts refuses a second), so another build cannot be imported beside this
 * one: the bench script runs as that build has it, in a child process of its own.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/** This checkout's root (bench scripts run as dist/bench/*.js). */
export const THIS_ROOT = resolve(import.meta.dirname, '../..');

/**
 * Run bench script `script` (its name under dist/bench, without .js) of the build under `root`
 * with `argv`, this process's node flags (--expose-gc …) and its stdio. `root`'s dist/ must exist
 * (`npx tsc -p tsconfig.json` there). Returns the script's exit code.
 */
export function runInRoot(root: string, script: string, argv: readonly string[]): number {
  const r = spawnSync(process.execPath, [...process.execArgv, join(root, 'dist/bench', `${script}.js`), ...argv], { stdio: 'inherit' });
  if (r.error !== undefined) throw r.error;
  return r.status ?? 1;
}

/** `argv` without its `--root DIR` pairs: what the other build's script is given. */
export function withoutRoot(argv: readonly string[]): string[] {
  return argv.filter((_, i) => argv[i] !== '--root' && argv[i - 1] !== '--root');
}
