/**
 * `dmabuf-harness bench`: the benchmark suite (`bench/run.ts`, what `npm run bench` runs after its
 * build: the DESIGN §8 figures beside their limits measured in the same run, then the
 * first-finding and stress scaling tables) in a child process, `node <dist>/bench/run.js` found
 * relative to this file, with the terminal inherited. `--write FILE` puts the report between the
 * bench markers of FILE as well (bench/report_file.ts; the suite checks FILE before it starts;
 * `npm run bench` writes docs/BENCHMARKS.md). The exit code is the suite's; on Ctrl-C the child
 * stops and the command exits 130. A missing suite (the package built without bench/) is bad
 * input: one line, exit 2.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { HarnessError } from '../errno/errors.js';
import type { CliIo } from './io.js';

/** The compiled suite: this file is dist/src/cli/bench_cmd.js, the suite dist/bench/run.js. */
export const BENCH_SCRIPT = fileURLToPath(new URL('../../bench/run.js', import.meta.url));

/** Add the `bench` command to `p`, taking its interrupt from `io`. */
export function registerBench(p: Command, io: CliIo, setCode: (c: number) => void): void {
  p.command('bench').description('benchmark suite: DESIGN §8 figures as ratios to limits measured in the same run (takes minutes)')
    .option('--write <file>', 'also write the report between the bench markers of FILE (npm run bench: docs/BENCHMARKS.md)')
    .action(async (o: { write?: string }) => { setCode(await benchCommand(io, BENCH_SCRIPT, o.write === undefined ? [] : ['--write', o.write])); });
}

/**
 * Run `script` (default: the suite) with `args`, this Node binary and inherited stdio (the suite
 * writes to this process's own stdout and stderr, not through `io`: it sees the terminal itself).
 * Resolves with its exit code, or 128 + the signal number when a signal ended it (SIGINT: 130).
 * An interrupt of `io` is passed on to the child (Ctrl-C reaches both: the terminal signals the
 * group).
 */
export async function benchCommand(io: CliIo, script = BENCH_SCRIPT, args: readonly string[] = []): Promise<number> {
  if (!existsSync(script)) throw new HarnessError('ERR_BAD_OPTION', `bench: ${script} not found (build the project with npm run build)`);
  const child = spawn(process.execPath, [script, ...args], { stdio: 'inherit' });
  const stopForwarding = io.onInterrupt(() => { child.kill('SIGINT'); });
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
      });
    });
  } finally {
    stopForwarding();
  }
}
