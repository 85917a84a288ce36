/**
 * POS — partial order sampling (Yuan, Yang, Gu, "Partial Order Aware Concurrency Sampling",
 * CAV 2018), over the pending ops the actors yield.
 *
 * Every actor's pending event carries a random priority; each decision runs the runnable actor
 * with the highest priority (ties, which need equal 31-bit draws, go to the lowest actor). Once
 * actor X is picked, its pending op (op, o) is the event that executes, so
 *  - every other actor of the trial whose pending op RACES with it gets a fresh priority — the
 *    reassignment that makes POS sample partial orders rather than interleavings uniformly, and
 *  - X gets a fresh priority too: its next pending op is a new event.
 * Two ops race when they name the same object of the same kind (`opObjectKind`: mutex, fence,
 * resv, iova, word) — ids of different kinds are different objects. Ops whose object is no shared
 * thing (start, sleep, yield: kind `obj`) race with nothing. Blocked actors count: their pending
 * op is an event racing for the same object, so it is redrawn as well.
 *
 * Unlike PCT there is no depth parameter and no learning; a decision with a single runnable actor
 * still executes an event, so it redraws like any other.
 *
 * State (views.state, per-trial words only, so the controlled executor's threads share it):
 * [0, 4) the trial's xoshiro128** PRNG, POS_N_WORD the trial's actor count, and from
 * POS_PRIO_WORD one priority per actor (MAX_ACTORS words). Nothing lives in this object.
 */
import type { Scheduler, SchedViews } from './scheduler.js';
import { prngNext, prngSeed } from './prng.js';
import { MAX_ACTORS, objOf, opOf } from '../shm/layout.js';
import { opObjectKind } from '../trace/ops.js';
import { topPriority } from './priority.js';

const RNG = 0; // [0, 4): PRNG
/** State word holding the trial's actor count. */
export const POS_N_WORD = 4;
/** First of the per-actor priority words (MAX_ACTORS of them). */
export const POS_PRIO_WORD = 5;
/** First per-trial word POS does not use. */
export const POS_STATE_END = POS_PRIO_WORD + MAX_ACTORS;

/** Op code (0..127) → object kind class, 0 for ops whose object is no shared thing. */
const KIND_CLASS: Int8Array = (() => {
  const classes = new Map<string, number>();
  const t = new Int8Array(128);
  for (let op = 0; op < 128; op++) {
    const kind = opObjectKind(op);
    if (kind === 'obj') continue;
    if (!classes.has(kind)) classes.set(kind, classes.size + 1);
    t[op] = classes.get(kind)!;
  }
  return t;
})();

/** Whether packed ops `a` and `b` race: same object of the same (shared) kind. */
export function opsRace(a: number, b: number): boolean {
  const k = KIND_CLASS[opOf(a)] ?? 0;
  return k !== 0 && k === (KIND_CLASS[opOf(b)] ?? 0) && objOf(a) === objOf(b);
}

export class PosScheduler implements Scheduler {
  readonly name = 'pos';
  private readonly s: Int32Array;
  private readonly pending: (actor: number) => number;

  constructor(views: SchedViews) {
    this.s = views.state;
    this.pending = views.pending;
  }

  /** Seeds the PRNG and draws a priority per actor. Pre: 1 ≤ actors ≤ MAX_ACTORS. */
  begin(seed: number, actors: number): void {
    const s = this.s;
    prngSeed(s, RNG, seed);
    s[POS_N_WORD] = actors;
    for (let a = 0; a < actors; a++) this.redraw(a);
    for (let a = actors; a < MAX_ACTORS; a++) s[POS_PRIO_WORD + a] = 0;
  }

  /** Actor `actor`'s current priority (a 31-bit non-negative integer; higher runs first). */
  priority(actor: number): number {
    return this.s[POS_PRIO_WORD + actor]!;
  }

  /**
   * The runnable actor with the highest priority; then the priorities of the actors whose pending
   * op races with the picked actor's are redrawn, and the picked actor's own.
   * Pre: `runnable` is a non-empty mask of actors < the trial's actor count; `views.pending`
   * gives each actor's op as it stands before the pick. Post: returns a member of `runnable`.
   */
  pick(runnable: number, _current: number, _step: number): number {
    const x = this.top(runnable);
    const op = this.pending(x);
    const n = this.s[POS_N_WORD]!;
    for (let a = 0; a < n; a++) {
      if (a === x || opsRace(op, this.pending(a))) this.redraw(a);
    }
    return x;
  }

  /** The runnable actor with the highest priority. */
  private top(runnable: number): number {
    return topPriority(this.s, POS_PRIO_WORD, runnable);
  }

  private redraw(actor: number): void {
    this.s[POS_PRIO_WORD + actor] = prngNext(this.s, RNG) >>> 1;
  }

  end(_steps: number): void {
    // Nothing to learn.
  }
}
