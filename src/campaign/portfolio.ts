/**
 * The default strategy portfolio: a campaign's trials rotate over its strategies (trial i runs
 * strategy i mod k), each with its own executor (campaign/runner.ts). Random walks and PCT at
 * depths 1–3 cover shallow and deep bugs, POS samples partial orders evenly, and a
 * preemption-bounded DFS joins for small scenarios, where it can exhaust the space.
 */
import { InlineExecutor } from '../exec/inline.js';
import { stoppedByWatchdog } from '../exec/result.js';
import type { AnyScenario, Params } from '../exec/scenario.js';

export const DEFAULT_PORTFOLIO: readonly string[] = ['random', 'pct:2', 'pct:3', 'pct:1', 'pos'];

/** A scenario whose trials take at most this many decisions gets DFS in its portfolio. */
export const SMALL_SCENARIO_STEPS = 200;
export const SMALL_SCENARIO_DFS = 'dfs:2';

/**
 * The portfolio for `s`: DEFAULT_PORTFOLIO, plus DFS when a probe trial shows it is small. The
 * probe runs under the inline watchdog (`trialTimeoutMs`, default the executor's): a probe that
 * hangs counts as large.
 */
export function portfolioFor(s: AnyScenario, params?: Params, trialTimeoutMs?: number): readonly string[] {
  const ex = new InlineExecutor(s, { strategy: 'random', ...(params === undefined ? {} : { params }), trialTimeoutMs });
  let probe;
  try {
    probe = ex.runTrial(0);
  } finally {
    ex.close();
  }
  return probe.steps > 0 && probe.steps <= SMALL_SCENARIO_STEPS && !stoppedByWatchdog(probe) ? [...DEFAULT_PORTFOLIO, SMALL_SCENARIO_DFS] : DEFAULT_PORTFOLIO;
}
