/**
 * What the inline watchdog costs (src/exec/watchdog.ts): `node dist/bench/watch_cost.js
 * [--seconds 2] [--rounds 3]` prints the time one `watched` call adds to a bare call, and the
 * canonical revoke scenario's inline trials/s watched trial by trial (`runTrial`, as replay and
 * shrink run) beside watched in 25 ms slices (`runSlice`, as a hunt runs), the two alternating
 * `rounds` times on fresh executors, each side's best, and their ratio.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { InlineExecutor } from '../src/exec/inline.js';
import { watched } from '../src/exec/watchdog.js';
import { countArg, secondsArg } from './args.js';
import { benchMain } from './main.js';
import { CANONICAL_100_STEPS } from './measure.js';

/** Microseconds one `watched` call adds to calling the same trivial function directly. */
export function watchCostUs(calls: number): number {
  let sink = 0;
  const fn = (): number => ++sink;
  const time = (run: () => void): number => { const t0 = performance.now(); run(); return (performance.now() - t0) * 1000 / calls; };
  time(() => { for (let i = 0; i < calls; i++) watched(fn, 1000); });
  const bare = time(() => { for (let i = 0; i < calls; i++) fn(); });
  return time(() => { for (let i = 0; i < calls; i++) watched(fn, 1000); }) - bare;
}

/** Canonical inline trials/s for `seconds`: a watch per trial, or 25 ms slices under one watch. */
export async function canonicalWatched(per: 'trial' | 'slice', seconds: number): Promise<number> {
  const { revokeWaitBookkeep } = await import('../scenarios/revoke-wait-bookkeep.js');
  const ex = new InlineExecutor(revokeWaitBookkeep, { params: CANONICAL_100_STEPS });
  let trials = 0;
  const t0 = performance.now();
  try {
    while (performance.now() - t0 < seconds * 1000) {
      if (per === 'trial') ex.runTrial(trials++);
      else trials += ex.runSlice({ strategies: ['random'], from: trials, to: Number.MAX_SAFE_INTEGER, base: 0, ms: 25 }).ran;
    }
  } finally {
    ex.close();
  }
  return trials / ((performance.now() - t0) / 1000);
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  await benchMain('watch_cost', async () => {
    const { values } = parseArgs({ options: { seconds: { type: 'string' }, rounds: { type: 'string' } } });
    const seconds = secondsArg('--seconds', values.seconds, 2);
    const rounds = countArg('--rounds', values.rounds, 3);
    console.log(`one watched call: +${watchCostUs(20_000).toFixed(1)} µs over a bare call`);
    let trial = 0;
    let slice = 0;
    for (let r = 0; r < rounds; r++) {
      trial = Math.max(trial, await canonicalWatched('trial', seconds));
      slice = Math.max(slice, await canonicalWatched('slice', seconds));
    }
    console.log(`canonical inline: ${Math.round(trial)} trials/s watched per trial, ${Math.round(slice)} in watched slices: ${(100 * trial / slice).toFixed(1)} %`);
  });
}
