/**
 * Builds a strategy from its spec string (`--strategy`).
 */
import { HarnessError } from '../errno/errors.js';
import type { Scheduler, SchedViews } from './scheduler.js';
import { RandomScheduler } from './random.js';
import { PCT_MAX_DEPTH, PctScheduler } from './pct.js';
import { ReplayScheduler } from './replay.js';
import { GuidedScheduler } from './guided.js';
import { PosScheduler } from './pos.js';
import { DFS_MAX_BOUND, DfsScheduler } from './dfs.js';

const EXPECTED = `expected random, replay, guided, pos, pct:D with D an integer 1..${PCT_MAX_DEPTH} ` +
  `or dfs:B with B an integer 0..${DFS_MAX_BOUND}`;

/** Specs of strategies that keep state in JS memory (the DFS stack), not in the arena. */
const INLINE_ONLY = /^dfs:/;

/**
 * Whether the strategy `spec` must run under the inline executor: its state lives in this
 * thread's memory, so the controlled executor (one decision-maker per actor thread) cannot use it.
 */
export function inlineOnly(spec: string): boolean {
  return INLINE_ONLY.test(spec);
}

/**
 * The strategy named by `spec` — `random`, `replay`, `guided`, `pos`, `pct:D` (D an integer
 * 1..10) or `dfs:B` (B an integer 0..9; no sign, no leading zeros) — keeping its state in `views`
 * (except `dfs:B`, see `inlineOnly`).
 * Throws HarnessError ERR_BAD_OPTION with a one-line message naming the spec otherwise.
 */
export function createScheduler(spec: string, views: SchedViews): Scheduler {
  if (spec === 'random') return new RandomScheduler(views);
  if (spec === 'replay') return new ReplayScheduler(views);
  if (spec === 'guided') return new GuidedScheduler(views);
  if (spec === 'pos') return new PosScheduler(views);
  const m = /^pct:([1-9][0-9]?)$/.exec(spec);
  if (m !== null) {
    const depth = Number(m[1]);
    if (depth <= PCT_MAX_DEPTH) return new PctScheduler(views, depth);
  }
  const b = /^dfs:([0-9])$/.exec(spec);
  if (b !== null) return new DfsScheduler(Number(b[1]));
  throw new HarnessError('ERR_BAD_OPTION', `bad strategy ${JSON.stringify(spec)}: ${EXPECTED}`);
}
