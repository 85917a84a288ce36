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
 * resv, job, domain, word) — ids of different kinds are different objects — with two exceptions
 * (`raceObject`):
 *  - a dma_resv and its ww_mutex are one object, so a lockless reader's point on the resv
 *    (resv-read, resv-wait) races the writer's lock point on the resv's mutex, the window where a
 *    writer replaces or reallocates the fence list under the lock while the reader walks it;
 *  - a DMA job and its completion fence are one object, so the engine's point before a burst of
 *    job j (dma, dma-speculative) races the waits on j's fence — the revoke window: revoke waits
 *    on the job's fence, then unmaps, and a burst after the unmap is the use-after-revoke. A job
 *    with no fence (`jobFence` -1: not started, or its run's fence released) is an object of its
 *    own. A device's access through an IOMMU
 *    domain with no job (dma-domain) names the domain, not a job: it is no job's burst.
 * Ops whose object is no shared thing (start, sleep, yield: kind `obj`) race with nothing. Blocked
 * actors count: their pending op is an event racing for the same object, so it is redrawn as well.
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
import { MAX_ACTORS, MAX_OBJECTS, objOf, opOf } from '../shm/layout.js';
import { OP_DMA, OP_FENCE_WAIT, OP_LOCK, OP_RESV_READ, opObjectKind } from '../trace/ops.js';
import { topPriority } from './priority.js';

const RNG = 0; // [0, 4): PRNG
/** State word holding the trial's actor count. */
export const POS_N_WORD = 4;
/** First of the per-actor priority words (MAX_ACTORS of them). */
export const POS_PRIO_WORD = 5;
/** First per-trial word POS does not use. */
export const POS_STATE_END = POS_PRIO_WORD + MAX_ACTORS;

/** Object ids per kind class in `raceObject`'s numbering (packed ops hold ids below it). */
const OBJ_SPAN = MAX_OBJECTS;

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

const MUTEX_CLASS = KIND_CLASS[OP_LOCK]!;
const RESV_CLASS = KIND_CLASS[OP_RESV_READ]!;
const FENCE_CLASS = KIND_CLASS[OP_FENCE_WAIT]!;
const DMA_CLASS = KIND_CLASS[OP_DMA]!;

/** The scheduler views `raceObject` reads: a resv's lock and a DMA job's completion fence. */
export type RaceViews = Pick<SchedViews, 'resvLock' | 'jobFence'>;

/**
 * The shared object packed op `op` is about to touch, as one number per object (kind class and
 * id), or -1 when it touches none. A resv op's object is its resv's ww_mutex (`v.resvLock`), and
 * a DMA op's (dma, dma-speculative: its id is a job) is the completion fence of the job's run the
 * engine started last (`v.jobFence`: the run the engine's op belongs to) when it has one. Pre: a
 * resv op names an initialised dma_resv of the trial. Reads the arena through `v` only for resv
 * and DMA ops.
 */
export function raceObject(op: number, v: RaceViews): number {
  const k = KIND_CLASS[opOf(op)] ?? 0;
  if (k === 0) return -1;
  if (k === RESV_CLASS) return MUTEX_CLASS * OBJ_SPAN + v.resvLock(objOf(op));
  if (k === DMA_CLASS) {
    const fence = v.jobFence(objOf(op));
    if (fence >= 0) return FENCE_CLASS * OBJ_SPAN + fence;
  }
  return k * OBJ_SPAN + objOf(op);
}

/**
 * Whether packed ops `a` and `b` race: they touch one shared object (`raceObject`) — same kind
 * and id, a dma_resv and its ww_mutex, or a DMA job and its completion fence.
 */
export function opsRace(a: number, b: number, v: RaceViews): boolean {
  const x = raceObject(a, v);
  return x >= 0 && x === raceObject(b, v);
}

export class PosScheduler implements Scheduler {
  readonly name = 'pos';
  private readonly s: Int32Array;
  private readonly pending: (actor: number) => number;
  private readonly race: RaceViews;

  constructor(views: SchedViews) {
    this.s = views.state;
    this.pending = views.pending;
    this.race = views;
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
    const obj = raceObject(this.pending(x), this.race);
    const n = this.s[POS_N_WORD]!;
    for (let a = 0; a < n; a++) {
      if (a === x || (obj >= 0 && raceObject(this.pending(a), this.race) === obj)) this.redraw(a);
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
