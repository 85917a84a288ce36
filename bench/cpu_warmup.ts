/**
 * A warm-up measured in this thread's CPU time rather than wall time. A scenario's rate is
 * steady only once V8 has optimised its code, on compiler threads that compete for the CPUs with
 * everything else: on the shared 2-CPU host at a load of 9–11, revoke-wait-bookkeep (≈ 740
 * optimised functions against abba-no-ctx's ≈ 110) was measured at 410–450 trials/s after a 0.5 s
 * wall-clock warm-up — 2–3 % of its quiet 16–20k — with its main thread at 0.07–0.09 of a CPU
 * and the process at 0.23–0.30 (the compiler threads took the rest; with
 * --no-concurrent-recompilation the two shares matched and the main thread compiled). Rounds of
 * warm-up repeat until this thread ran `cpuMs` on a CPU, so a loaded host warms up as long as
 * it needs to reach the quiet host's state, bounded by `maxRounds`; where the OS reports no run
 * times, one round (the wall-clock rule).
 */
import { readOwnRunNs, type RunReader } from '../src/exec/starved_rerun.js';

/**
 * Run `round` (one warm-up round, awaited) until this thread ran at least `cpuMs` on a CPU since
 * the first started, at most `maxRounds` times; at least once. Returns the rounds run.
 */
export async function warmUpCpu(round: () => Promise<unknown>, cpuMs: number, maxRounds: number, read: RunReader = readOwnRunNs): Promise<number> {
  const start = read();
  let rounds = 0;
  do {
    await round();
    rounds++;
    const now = read();
    if (start === undefined || now === undefined || (now - start) / 1e6 >= cpuMs) break;
  } while (rounds < maxRounds);
  return rounds;
}
