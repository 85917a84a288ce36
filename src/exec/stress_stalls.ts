/**
 * Stall points: the stress executor's schedule for hunting (StressOptions.schedule 'stalls').
 *
 * Why: uniform short delays at every yield rarely open a window in which one thread must stop
 * while the others run through a whole phase — the revoke's move between an mmap user's touches
 * (mmap-revoke-no-zap), an importer's re-map between un-revoke's two stores
 * (unrevoke-before-rearm). Real-thread stress tools vary the disturbance per run instead, and PCT
 * (sched/pct.ts) finds a bug of depth d by demoting the running thread at d-1 random steps. This
 * transplants both to free-running threads. The plan (drawStressPlan) is a function of the trial's
 * seed and the actors' horizons, which earlier trials' yield counts set: those vary with timing, so
 * the same seed may draw another plan in another run (the trial's result records its plan,
 * StressResult.plan; replay is unaffected: it follows the decision log):
 *  - a delay profile per trial: no delays, the executor's own (delayChance, maxDelaySpins), or
 *    heavy ones (STALL_HEAVY_CHANCE times as likely, STALL_HEAVY_SPINS times as long);
 *  - d in [0, STALL_MAX_POINTS] stall points, each an (actor, step, runAhead): the actor, at its
 *    first preemptible, not blocked yield from its step-th on, stops (stallActor) and lets the
 *    others run ahead — until they made `runAhead` yields (0: as many as they can), none of them
 *    can run (each finished, stalled itself, or asleep on a condition that does not hold:
 *    perhaps waiting for the stalled one), the trial ends, or STALL_BUDGET_MS passed. Never an
 *    unbounded wait.
 * Steps are drawn uniformly below the actor's horizon: the most yields it made in any trial of
 * this executor so far (learnHorizons, from the decision log; STALL_DEFAULT_HORIZON before one
 * ended), as PCT learns its k. A delay chance of 0 means the model timed undisturbed: no delays
 * and no stalls.
 *
 * The decision log is untouched: a stall only changes when the others' yields come, and they log
 * themselves as they pass, so the recorded yield order (what controlled replay follows) stays the
 * order that ran. Each stall that ended is in the stalled actor's trace ring (EV_STALL_END: why,
 * and for how many of the others' yields; stallRecords reads them), and a hunt's finding from the
 * trial carries its plan and those records (campaign/stress_plan.ts).
 */
import type { Arena } from '../shm/arena.js';
import { futexWait } from '../shm/futex.js';
import {
  ACTOR_BLOCKED, ACTOR_DONE, A_STALLS, A_STATE, A_WAIT_FLAGS, A_WAIT_KIND, C_AWAKE,
  C_NACTORS, C_STATE, C_STEP, C_STOP, D_ACTOR, TRIAL_RUNNING, WAITF_TIMED, WAITF_USEC, packOp,
} from '../shm/layout.js';
import { EV_STALL_END, STALL_ENDS, stallEndOf, type StallEnd } from '../trace/ops.js';
import type { TraceEvent } from '../trace/ring.js';
import { Prng } from '../sched/prng.js';
import { preemptible } from '../kernel/preempt.js';
import { wakeableRead } from '../kernel/wait.js';
import type { Task } from '../kernel/task.js';
import { actorSeed } from './prepare.js';
import { readSleep } from './sleep_read.js';

/** Most stall points a trial draws (it draws 0..STALL_MAX_POINTS uniformly). */
export const STALL_MAX_POINTS = 3;
/** The others' yields a stall waits for, one drawn per point; 0: as many as they can make. */
export const STALL_RUN_AHEAD: readonly number[] = [2, 16, 128, 0];
/** Longest one stall lasts (ms, wall clock): far below the watchdog's STRESS_STALL_MS. */
export const STALL_BUDGET_MS = 10;
/** An actor's horizon (yields) before a trial of it has been seen. */
export const STALL_DEFAULT_HORIZON = 16;
/** The heavy delay profile: the chance times this (at most 1), the longest spin times this. */
export const STALL_HEAVY_CHANCE = 4;
export const STALL_HEAVY_SPINS = 10;
/** A stall waiting for up to this many of the others' yields polls for them while they come. */
export const STALL_SPIN_RUN_AHEAD = 16;
/** How long such a stall polls after the others' last yield (or its start) before it naps (ms). */
export const STALL_SPIN_MS = 0.05;
/** The stalled actor's nap between checks (ms; 70–100 µs with the futex's timer slack). */
const STALL_NAP_MS = 0.02;
/** actorSeed slot of the plan's generator: above any actor's delay generator (actor + 64). */
const PLAN_SLOT = 200;

/** One stall: at the actor's yield `step` (or its first preemptible ready one after), let the
 *  others make `runAhead` yields (0: as many as they can), for at most `budgetMs`. */
export interface StallPoint { readonly step: number; readonly runAhead: number; readonly budgetMs: number }

/** A trial's stress schedule: its delay profile, and per actor its stall points by ascending
 *  step. */
export interface StressPlan {
  readonly delayChance: number;
  readonly maxDelaySpins: number;
  readonly stalls: readonly (readonly StallPoint[])[];
}

/** The executor's own delays (StressOptions), which the profile scales. */
export interface StressDelays { readonly delayChance: number; readonly maxDelaySpins: number }

/**
 * The plan of the trial seeded `seed` for `actors` actors (≥ 1), actor i's steps drawn below
 * `horizons[i]` (learnHorizons; STALL_DEFAULT_HORIZON where missing). A pure function of its
 * arguments. With `base.delayChance` ≤ 0: `base` and no stall point.
 */
export function drawStressPlan(seed: number, actors: number, horizons: readonly number[], base: StressDelays): StressPlan {
  const stalls: StallPoint[][] = Array.from({ length: actors }, () => []);
  if (base.delayChance <= 0) return { ...base, stalls };
  const rng = new Prng(actorSeed(seed, PLAN_SLOT));
  const profile = delayProfile(rng.below(3), base);
  const d = rng.below(STALL_MAX_POINTS + 1);
  for (let i = 0; i < d; i++) {
    const actor = rng.below(actors);
    const step = rng.below(Math.max(1, horizons[actor] ?? STALL_DEFAULT_HORIZON));
    const runAhead = STALL_RUN_AHEAD[rng.below(STALL_RUN_AHEAD.length)]!;
    if (!stalls[actor]!.some((p) => p.step === step)) stalls[actor]!.push({ step, runAhead, budgetMs: STALL_BUDGET_MS });
  }
  for (const s of stalls) s.sort((x, y) => x.step - y.step);
  return { ...profile, stalls };
}

/** Delay profile `level`: 0 none, 1 `base`, 2 heavy. */
function delayProfile(level: number, base: StressDelays): StressDelays {
  if (level === 0) return { delayChance: 0, maxDelaySpins: 0 };
  if (level === 1) return base;
  return { delayChance: Math.min(1, base.delayChance * STALL_HEAVY_CHANCE), maxDelaySpins: base.maxDelaySpins * STALL_HEAVY_SPINS };
}

/**
 * Raise `horizons[i]` (one per actor; missing ones start at 0) to the yields actor i made in the
 * trial just ended, counted in the decision log (as far as it holds them): after the first trial
 * every actor's horizon is the most it made, and STALL_DEFAULT_HORIZON no longer applies. Main
 * thread, after the trial's workers are done.
 */
export function learnHorizons(a: Arena, horizons: number[], actors: number): void {
  const made = new Array<number>(actors).fill(0);
  const logged = Math.min(a.ctl(C_STEP), a.geometry.decisions);
  for (let s = 0; s < logged; s++) {
    const actor = a.i32[a.decision(s) + D_ACTOR]!;
    if (actor >= 0 && actor < actors) made[actor]!++;
  }
  for (let i = 0; i < actors; i++) horizons[i] = Math.max(horizons[i] ?? 0, made[i]!);
}

/** Walks one actor's stall points as it yields. */
export class StallCursor {
  private next = 0;

  constructor(private readonly points: readonly StallPoint[] = []) {}

  /** At `t`'s yield `yields` (0-based; ready, not blocked): the stall due there, skipping any
   *  others passed meanwhile, or undefined (none due, or `t` not preemptible: a due stall waits
   *  for a yield where it is). */
  due(t: Task, yields: number): StallPoint | undefined {
    const p = this.points;
    if (this.next >= p.length || p[this.next]!.step > yields || !preemptible(t)) return undefined;
    const due = p[this.next]!;
    while (this.next < p.length && p[this.next]!.step <= yields) this.next++;
    return due;
  }
}

export type { StallEnd } from '../trace/ops.js';

/** The object of a stall's EV_STALL_END trace event: why it ended. */
export const STALL_END_CODE = Object.fromEntries(STALL_ENDS.map((e, i) => [e, i + 1])) as Readonly<Record<StallEnd, number>>;

/** A stall that ended, as the stalled actor's trace ring holds it (EV_STALL_END). */
export interface StallRecord {
  readonly actor: number;
  /** The trial's step when it ended; it began `held` steps before. */
  readonly step: number;
  /** The others' yields while it held. */
  readonly held: number;
  readonly end: StallEnd;
}

/** The stalls that ended in `events` (a trial's trace, readEvents: as far as the rings still
 *  hold them), in the order they ended. */
export function stallRecords(events: readonly TraceEvent[]): StallRecord[] {
  return events.filter((e) => e.op === EV_STALL_END && stallEndOf(e.obj) !== undefined)
    .map((e) => ({ actor: e.actor, step: e.step, held: e.aux, end: stallEndOf(e.obj)! }));
}

/** What a stall waits with: the clock its budget counts on (ms) and its nap between checks. */
export interface StallWaits {
  readonly now: () => number;
  readonly nap: (a: Arena, t: Task) => void;
}

/** The real ones: performance.now, and a STALL_NAP_MS sleep on the actor's own wait word
 *  (nobody notifies it). */
export const STALL_WAITS: StallWaits = {
  now: () => performance.now(),
  nap: (a, t) => { futexWait(a.i32, t.base + A_WAIT_KIND, a.i32[t.base + A_WAIT_KIND]!, STALL_NAP_MS); },
};

/**
 * Stall actor `t` (stress, at a yield, not blocked) while the others run ahead: until they made
 * `p.runAhead` yields (0: no limit), none of them can run (othersCanRun), the trial ends or its
 * actors are asked to stop, or `p.budgetMs` passed on `w.now`. It naps (`w.nap`) between checks;
 * for a run-ahead up to STALL_SPIN_RUN_AHEAD it polls instead while the others yielded within
 * STALL_SPIN_MS (from its start on): a nap lets a running other make ~100 yields, and polling
 * while nobody yields only costs the CPU. The stall is marked in the actor's A_STALLS (odd while
 * it lasts: peers and the watchdog do not count it as able to run, polling or napping); it is
 * counted out of C_AWAKE only while it naps (a poller takes a CPU, as WAIT_ADAPT must know).
 * Traced on `t` as EV_STALL_END when it ends (object: STALL_END_CODE of why; aux: the others'
 * yields meanwhile, C_STEP's move, how long it held in the trial's steps). Returns why it ended.
 */
export function stallActor(a: Arena, t: Task, p: StallPoint, w: StallWaits = STALL_WAITS): StallEnd {
  const h = a.i32;
  const step = a.layout.control + C_STEP;
  const from = Atomics.load(h, step);
  Atomics.add(h, t.base + A_STALLS, 1);
  let end: StallEnd;
  try {
    end = holdStall(a, t, p, w, from);
  } finally {
    Atomics.add(h, t.base + A_STALLS, 1);
  }
  t.trace(packOp(EV_STALL_END, STALL_END_CODE[end]), Atomics.load(h, step) - from);
  return end;
}

/** stallActor's wait, the stall having begun when C_STEP was `from`: why it ended. */
function holdStall(a: Arena, t: Task, p: StallPoint, w: StallWaits, from: number): StallEnd {
  const h = a.i32;
  const c = a.layout.control;
  const t0 = w.now();
  const pollMs = p.runAhead > 0 && p.runAhead <= STALL_SPIN_RUN_AHEAD ? STALL_SPIN_MS : 0;
  for (let seen = from, moved = t0; ;) {
    const step = Atomics.load(h, c + C_STEP);
    const end = stallEnd(a, t, p, step - from);
    if (end !== undefined) return end;
    const now = w.now();
    if (now - t0 >= p.budgetMs) return 'budget';
    if (step !== seen) [seen, moved] = [step, now];
    if (now - moved < pollMs) continue;
    Atomics.sub(h, c + C_AWAKE, 1);
    try {
      w.nap(a, t);
    } finally {
      Atomics.add(h, c + C_AWAKE, 1);
    }
  }
}

/** Why `t`'s stall `p` ends now, the others having made `ran` yields since it began; undefined:
 *  it goes on (unless its budget passed). */
function stallEnd(a: Arena, t: Task, p: StallPoint, ran: number): StallEnd | undefined {
  const c = a.layout.control;
  if (Atomics.load(a.i32, c + C_STATE) !== TRIAL_RUNNING || Atomics.load(a.i32, c + C_STOP) !== 0) return 'stop';
  if (p.runAhead > 0 && ran >= p.runAhead) return 'run-ahead';
  return othersCanRun(a, t.id) ? undefined : 'none-can-run';
}

/** Whether actor `i` is stalled at a stall point now (A_STALLS odd): ready, but not running. */
export function stalledNow(a: Arena, i: number): boolean {
  return (Atomics.load(a.i32, a.actor(i) + A_STALLS) & 1) !== 0;
}

/** Whether an actor other than `self` can run: not finished, not stalled itself, and not asleep
 *  for good (canRun). Not yet started counts as able to run. Two stalls overlapping therefore
 *  both end 'none-can-run' when nobody else can run (neither waits for the other, polling or
 *  napping): the later one holds for ~0 steps. */
export function othersCanRun(a: Arena, self: number): boolean {
  const n = a.ctl(C_NACTORS);
  for (let i = 0; i < n; i++) if (i !== self && !stalledNow(a, i) && canRun(a, i)) return true;
  return false;
}

/** Whether actor `i` (not stalled) can run: not finished, and not blocked unless its condition
 *  holds or its sleep is timed (it wakes by itself). "Asleep" stands only on a read of one
 *  whole sleep (sleep_read.ts): the OS may hold a thread leaving its sleep between unblock's
 *  stores for milliseconds, and a record half cleared reads as a sleep nothing ends. */
function canRun(a: Arena, i: number): boolean {
  const state = Atomics.load(a.i32, a.actor(i) + A_STATE);
  if (state !== ACTOR_BLOCKED) return state !== ACTOR_DONE;
  return readSleep(a, i, asleepForGood) !== true;
}

/** Whether blocked actor `i`'s record is a sleep only a peer ends: untimed, condition not met.
 *  Atomic loads: a read of another thread's record (sleep_read.ts). */
function asleepForGood(a: Arena, i: number): boolean {
  const timed = (Atomics.load(a.i32, a.actor(i) + A_WAIT_FLAGS) & (WAITF_TIMED | WAITF_USEC)) !== 0;
  return !timed && !wakeableRead(a, i);
}
