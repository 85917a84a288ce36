/**
 * What the copy of an inline trial's carried state costs (src/exec/carried_state.ts: the lockdep
 * region and the scheduler's learned words, copied before every watched trial so a starved trial
 * can run again): `node dist/bench/carried_cost.js [--seconds 2] SCENARIO...` runs each catalog
 * scenario's inline trials in 25 ms slices, as a hunt does, over its portfolio, for `seconds`
 * after a 0.5 s warm-up, and after each trial times one more copy of the same state (a second
 * CarriedState on the executor's arena: the state a trial leaves is what the next one's copy
 * copies). Prints the copy's mean µs, the trial's (slice time over trials, the copies and the
 * timer reads left out) and their ratio.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { HarnessError } from '../src/errno/errors.js';
import { portfolioFor } from '../src/campaign/portfolio.js';
import { CarriedState } from '../src/exec/carried_state.js';
import { InlineExecutor } from '../src/exec/inline.js';
import type { AnyScenario } from '../src/exec/scenario.js';
import { catalogScenario, secondsArg } from './args.js';
import { benchMain } from './main.js';

/** Mean µs of one carried-state copy and of one trial without it, over `seconds` of slices. */
export interface CopyCost { readonly trials: number; readonly copyUs: number; readonly trialUs: number }

/** Time the copy after every trial of `s` for `seconds` (after a warm-up of `warmS`). */
export function carriedCost(s: AnyScenario, seconds: number, warmS = 0.5): CopyCost {
  const ex = new InlineExecutor(s);
  const strategies = portfolioFor(s);
  const extra = new CarriedState(ex.arena);
  let copyMs = 0;
  let timerMs = 0;
  const keep = (): boolean => {
    const t0 = performance.now();
    extra.take();
    const t1 = performance.now();
    const t2 = performance.now();
    copyMs += t1 - t0;
    timerMs += t2 - t1;
    return false;
  };
  const run = (ms: number): { trials: number; ms: number } => {
    let trials = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) trials += ex.runSlice({ strategies, from: trials, to: Number.MAX_SAFE_INTEGER, base: 1, ms: 25, keep }).ran;
    return { trials, ms: performance.now() - t0 };
  };
  try {
    run(warmS * 1000);
    copyMs = timerMs = 0;
    const r = run(seconds * 1000);
    const copyUs = Math.max(0, copyMs - timerMs) * 1000 / r.trials;
    return { trials: r.trials, copyUs, trialUs: (r.ms - copyMs - timerMs * 2) * 1000 / r.trials };
  } finally {
    ex.close();
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  await benchMain('carried_cost', async () => {
    const { values, positionals } = parseArgs({ options: { seconds: { type: 'string' } }, allowPositionals: true });
    const seconds = secondsArg('--seconds', values.seconds, 2);
    if (positionals.length === 0) throw new HarnessError('ERR_BAD_OPTION', 'expected at least one catalog scenario name');
    // Every name resolved before anything is measured: a bad one is exit 2 with no row printed.
    const scenarios = positionals.map((name) => ({ name, s: catalogScenario(name) }));
    for (const { name, s } of scenarios) {
      const c = carriedCost(s, seconds);
      process.stdout.write(`${name}  ${c.trials} trials  copy ${c.copyUs.toFixed(3)} µs/trial  trial ${c.trialUs.toFixed(2)} µs  copy/trial ${(100 * c.copyUs / c.trialUs).toFixed(1)} %\n`);
    }
  });
}
