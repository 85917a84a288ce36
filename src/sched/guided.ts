/**
 * Guided: follow a recorded schedule where it still applies, and run non-preemptively where it
 * does not. Unlike replay, a recorded actor that is not runnable (or a schedule that ran out) is
 * no divergence: the current actor keeps running if it can, else the lowest-numbered runnable
 * actor runs. This is what `shrink` (a schedule with switches removed) and the reproduction of a
 * `stress` yield order under `controlled` need.
 *
 * State (views.state, per-trial words): GUIDE_LEN_WORD holds the guide's length, written by the
 * executor after the arena reset (prepareTrial); the guide itself sits in the decision log, where
 * decision `step` is read before `decide` overwrites it with the choice actually made.
 */
import type { Scheduler, SchedViews } from './scheduler.js';
import { D_ACTOR, DECISION_WORDS } from '../shm/layout.js';

/** State word holding the guide's length. */
export const GUIDE_LEN_WORD = 0;

/** What a non-preemptive scheduler picks: `current` while it can run, else the lowest runnable. */
export function nonPreemptive(runnable: number, current: number): number {
  if (current >= 0 && (runnable & (1 << current)) !== 0) return current;
  return 31 - Math.clz32(runnable & -runnable);
}

/** A choice that differs from what a non-preemptive scheduler would have made. */
export interface Deviation {
  readonly step: number;
  readonly actor: number;
  /** The actor that yielded could have kept running. */
  readonly preemption: boolean;
}

export class GuidedScheduler implements Scheduler {
  readonly name = 'guided';
  private readonly s: Int32Array;
  private readonly d: Int32Array;
  /** Preemptions made this trial (the picked actor was not `current`, which could have run). */
  preemptions = 0;
  /** When set, every choice this trial that differs from the non-preemptive one is appended to
   *  `deviations` (main-thread bookkeeping for `shrink` under the inline executor). */
  record = false;
  readonly deviations: Deviation[] = [];

  constructor(views: SchedViews) {
    this.s = views.state;
    this.d = views.decisions;
  }

  begin(_seed: number, _actors: number): void {
    this.preemptions = 0;
    this.deviations.length = 0;
  }

  /** The guide's actor for `step` when it is runnable, else the non-preemptive choice. */
  pick(runnable: number, current: number, step: number): number {
    let next = -1;
    if (step < this.s[GUIDE_LEN_WORD]!) {
      const want = this.d[step * DECISION_WORDS + D_ACTOR]!;
      if (want >= 0 && want < 31 && (runnable & (1 << want)) !== 0) next = want;
    }
    const fallback = nonPreemptive(runnable, current);
    if (next < 0) next = fallback;
    const preemption = current >= 0 && next !== current && (runnable & (1 << current)) !== 0;
    if (preemption) this.preemptions++;
    if (this.record && next !== fallback) this.deviations.push({ step, actor: next, preemption });
    return next;
  }

  end(_steps: number): void {
    // Nothing to learn.
  }
}
