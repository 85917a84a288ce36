/**
 * Builds a strategy from its spec string (`--strategy`).
 */
import { HarnessError } from '../errno/errors.js';
import type { Scheduler, SchedViews } from './scheduler.js';
import { RandomScheduler } from './random.js';
import { PCT_MAX_DEPTH, PctScheduler } from './pct.js';
import { ReplayScheduler } from './replay.js';

const EXPECTED = `expected random, replay or pct:D with D an integer 1..${PCT_MAX_DEPTH}`;

/**
 * The strategy named by `spec` — `random`, `replay` or `pct:D` (D an integer 1..10, no sign, no
 * leading zeros) — keeping its state in `views`.
 * Throws HarnessError ERR_BAD_OPTION with a one-line message naming the spec otherwise.
 */
export function createScheduler(spec: string, views: SchedViews): Scheduler {
  if (spec === 'random') return new RandomScheduler(views);
  if (spec === 'replay') return new ReplayScheduler(views);
  const m = /^pct:([1-9][0-9]?)$/.exec(spec);
  if (m !== null) {
    const depth = Number(m[1]);
    if (depth <= PCT_MAX_DEPTH) return new PctScheduler(views, depth);
  }
  throw new HarnessError('ERR_BAD_OPTION', `bad strategy ${JSON.stringify(spec)}: ${EXPECTED}`);
}
