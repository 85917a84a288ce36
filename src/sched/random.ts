/**
 * Random walk: at every decision, a uniformly random runnable actor.
 *
 * State (views.state, per-trial words only): [0, 4) the trial's xoshiro128** PRNG.
 */
import type { Scheduler, SchedViews } from './scheduler.js';
import { prngBelow, prngSeed } from './prng.js';

const RNG = 0;

/** Number of set bits of a 32-bit mask. */
export function popcount32(m: number): number {
  m -= (m >>> 1) & 0x55555555;
  m = (m & 0x33333333) + ((m >>> 2) & 0x33333333);
  return Math.imul((m + (m >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Index of the `r`-th (0-based, from bit 0 up) set bit of `mask`; pre: r < popcount32(mask). */
export function nthSetBit(mask: number, r: number): number {
  let m = mask;
  for (; r > 0; r--) m &= m - 1;
  return 31 - Math.clz32(m & -m);
}

export class RandomScheduler implements Scheduler {
  readonly name = 'random';
  private readonly s: Int32Array;

  constructor(views: SchedViews) {
    this.s = views.state;
  }

  /** Seeds the PRNG from `seed`; the actor count is not needed. */
  begin(seed: number, _actors: number): void {
    prngSeed(this.s, RNG, seed);
  }

  /**
   * A uniformly random set bit of `runnable` (non-empty). A single runnable actor is returned
   * without consuming randomness.
   */
  pick(runnable: number, _current: number, _step: number): number {
    if ((runnable & (runnable - 1)) === 0) return 31 - Math.clz32(runnable);
    return nthSetBit(runnable, prngBelow(this.s, RNG, popcount32(runnable)));
  }

  end(_steps: number): void {
    // Nothing to learn.
  }
}
