/**
 * The stress executor, actor-thread side: actors run in parallel with no turn. At each yield the
 * actor may be delayed by a seeded random spin, or stall at one of its trial's stall points
 * (stress_stalls.ts) while the others run ahead; a blocked actor sleeps on the futex word of what
 * it waits for (the mutex owner word, the fence flags) in bounded slices until its condition holds,
 * its timeout passes, or the trial ends — a fence waiter, when the wait policy lets it, first
 * polls its condition for up to STRESS_POLL_US. An actor asleep or finished is not counted in
 * C_AWAKE, which WAIT_ADAPT reads. Before running past a yield point, the actor
 * claims the next step index and logs `(actor, op)` there: the trial's yield order, which
 * `controlled` can follow afterwards; the step counter is also the progress the main-thread
 * watchdog reads.
 */
import type { Arena } from '../shm/arena.js';
import { futexWait } from '../shm/futex.js';
import {
  ACTOR_BLOCKED, ACTOR_READY, A_OP, A_STATE, A_WAIT_DEADLINE, A_WAIT_FLAGS, A_WAIT_KIND, A_WAIT_OBJ,
  C_AWAKE, C_SPIN_CORES, C_STATE, C_STEP, C_WAIT_POLICY, D_ACTOR, D_OP, FENCEF_SIGNALED, FENCEF_WAITERS, F_FLAGS, M_OWNER,
  TRIAL_RUNNING, WAITF_TIMED, WAITF_USEC, WAITK_FENCE, WAITK_MUTEX, WAITK_WORD, WAIT_ADAPT, WAIT_SPIN,
} from '../shm/layout.js';
import type { Prng } from '../sched/prng.js';
import { wakeable } from '../kernel/wait.js';
import type { Task } from '../kernel/task.js';
import type { KGen } from '../kernel/types.js';
import { FAILED, FINISHED, failTrial, resumeActor } from './resume.js';
import { StallCursor, stallActor, type StallPoint } from './stress_stalls.js';
import { takeUp } from './take_up.js';

export interface StressTiming {
  /** Probability of a delay at a yield. */
  readonly delayChance: number;
  /** Longest delay, in spin iterations. */
  readonly maxDelaySpins: number;
  /** Told how long (ms) the actor slept blocked, and on what (WAITK_*); absent: not timed. */
  readonly onBlocked?: (kind: number, ms: number) => void;
  /** The actor's stall points this trial, by ascending step (stress_stalls.ts); absent: none. */
  readonly stalls?: readonly StallPoint[];
}

const SLICE_MS = 2;
/** Longest a blocked actor polls its condition before announcing itself and sleeping, when the
 *  policy lets it poll (µs): long enough to cover a reap of 4 MiB jobs (4 × ~75 µs at 1 MiB
 *  pages), so the engine's signal finds nobody asleep and skips the wake-up. */
export const STRESS_POLL_US = 500;
/** Between polls, a nap this long (ms; the futex's 50 µs timer slack makes it 70–100 µs on the
 *  2-vCPU VM) on the actor's own word, which nobody notifies. Napping rather than spinning
 *  matters when the kernel placed the poller on the CPU of the thread it waits for (it does so on
 *  wake-up): a spinner there stalled the engine for its whole budget after every fence it
 *  signalled (measured: docs/BENCHMARKS.md). */
const POLL_NAP_MS = 0.02;
/** Checks made back to back before the first nap (a condition about to hold costs no nap). */
const POLL_SPINS = 64;

/** Run actor `t` freely until it finishes or the trial ends (marking it taken up first:
 *  take_up.ts, then ACTOR_READY). Returns a crash message, if any. */
export function runStressActor(a: Arena, t: Task, gen: KGen<unknown>, rng: Prng, timing: StressTiming): string | undefined {
  const h = a.i32;
  const state = a.layout.control + C_STATE;
  let crash: string | undefined;
  const onCrash = (task: Task, err: unknown): void => { crash = failTrial(a, task, err); };
  const stalls = new StallCursor(timing.stalls);
  takeUp(a, t.id);
  Atomics.store(h, t.base + A_STATE, ACTOR_READY);
  try {
    for (let yields = 0; Atomics.load(h, state) === TRIAL_RUNNING; yields++) {
      logYield(a, t);
      const r = resumeActor(t, gen, onCrash);
      if (r === FAILED || r === FINISHED) break;
      if (Atomics.load(h, t.base + A_STATE) === ACTOR_BLOCKED) {
        if (!sleepTimed(a, t, timing.onBlocked)) break;
        continue;
      }
      const stall = stalls.due(t, yields);
      if (stall !== undefined) stallActor(a, t, stall);
      else if (timing.delayChance > 0 && rng.chance(timing.delayChance)) spinDelay(rng.below(timing.maxDelaySpins));
    }
  } finally {
    Atomics.sub(h, a.layout.control + C_AWAKE, 1);
  }
  return crash;
}

/** Claim the next step index and log `t` with the op it is about to run past. */
function logYield(a: Arena, t: Task): void {
  const h = a.i32;
  const step = Atomics.add(h, a.layout.control + C_STEP, 1);
  if (step >= a.geometry.decisions) return;
  const d = a.decision(step);
  h[d + D_ACTOR] = t.id;
  h[d + D_OP] = h[t.base + A_OP]!;
}

/** sleepUntilWakeable, telling `onBlocked` how long it slept and on what. */
function sleepTimed(a: Arena, t: Task, onBlocked: StressTiming['onBlocked']): boolean {
  if (onBlocked === undefined) return sleepUntilWakeable(a, t);
  const kind = a.i32[t.base + A_WAIT_KIND]!;
  const t0 = performance.now();
  const ok = sleepUntilWakeable(a, t);
  onBlocked(kind, performance.now() - t0);
  return ok;
}

/** Whether a blocked actor may poll before sleeping: always under WAIT_SPIN, under WAIT_ADAPT
 *  while the actors awake do not outnumber the cores, never under WAIT_SLEEP. */
export function mayPoll(a: Arena): boolean {
  const h = a.i32;
  const c = a.layout.control;
  const policy = h[c + C_WAIT_POLICY];
  return policy === WAIT_SPIN || (policy === WAIT_ADAPT && Atomics.load(h, c + C_AWAKE) <= h[c + C_SPIN_CORES]!);
}

/**
 * Poll fence waiter `t`'s condition for up to STRESS_POLL_US while mayPoll holds: POLL_SPINS
 * checks, then one after every nap. True when the condition holds, false when the budget ran out,
 * polling stopped being allowed, the trial ended, or the wait is timed (msleep, a timeout: mostly
 * meant to let time pass). The waiter never announces itself meanwhile, so the signal skips the
 * wake-up (FENCEF_WAITERS); it stays counted awake, as its naps still take a CPU every 70–100 µs.
 */
function pollUntilWakeable(a: Arena, t: Task): boolean {
  const h = a.i32;
  const b = t.base;
  if ((h[b + A_WAIT_FLAGS]! & WAITF_TIMED) !== 0) return false;
  const state = a.layout.control + C_STATE;
  for (let i = 0; i < POLL_SPINS; i++) if (wakeable(a, t.id)) return true;
  const t0 = performance.now();
  for (;;) {
    if (performance.now() - t0 > STRESS_POLL_US / 1000 || Atomics.load(h, state) !== TRIAL_RUNNING || !mayPoll(a)) return false;
    futexWait(h, b + A_WAIT_KIND, h[b + A_WAIT_KIND]!, POLL_NAP_MS);
    if (wakeable(a, t.id)) return true;
  }
}

/** Sleep until `t`'s wait condition holds or its deadline passes. False when the trial ended. */
function sleepUntilWakeable(a: Arena, t: Task): boolean {
  const h = a.i32;
  const b = t.base;
  const state = a.layout.control + C_STATE;
  const flags = h[b + A_WAIT_FLAGS]!;
  if ((flags & WAITF_USEC) !== 0) return sleepMicros(a, t, h[b + A_WAIT_OBJ]!);
  const timed = (flags & WAITF_TIMED) !== 0;
  if (h[b + A_WAIT_KIND] === WAITK_FENCE && mayPoll(a) && pollUntilWakeable(a, t)) return Atomics.load(h, state) === TRIAL_RUNNING;
  for (;;) {
    if (Atomics.load(h, state) !== TRIAL_RUNNING) return false;
    if (wakeable(a, t.id)) return true;
    const left = timed ? h[b + A_WAIT_DEADLINE]! - t.now() : SLICE_MS;
    if (left <= 0) return true;
    const word = waitWord(a, t);
    if (word < 0) sleepOn(a, b + A_WAIT_KIND, h[b + A_WAIT_KIND]!, Math.min(left, SLICE_MS));
    else sleepOn(a, word, announce(a, t, word), Math.min(left, SLICE_MS));
  }
}

/** usleep_range: `us` of wall time on `t`'s own wait word (nobody notifies it), in SLICE_MS
 *  slices that re-check the trial state. False when the trial ended. */
function sleepMicros(a: Arena, t: Task, us: number): boolean {
  const h = a.i32;
  const state = a.layout.control + C_STATE;
  const end = performance.now() + us / 1000;
  for (;;) {
    if (Atomics.load(h, state) !== TRIAL_RUNNING) return false;
    const left = end - performance.now();
    if (left <= 0) return true;
    sleepOn(a, t.base + A_WAIT_KIND, h[t.base + A_WAIT_KIND]!, Math.min(left, SLICE_MS));
  }
}

/** futexWait on `word` while it holds `value`, at most `ms`, counted out of C_AWAKE meanwhile. */
function sleepOn(a: Arena, word: number, value: number, ms: number): void {
  const awake = a.layout.control + C_AWAKE;
  Atomics.sub(a.i32, awake, 1);
  futexWait(a.i32, word, value, ms);
  Atomics.add(a.i32, awake, 1);
}

/**
 * The value of futex `word` to sleep on. A fence waiter first sets FENCEF_WAITERS there, so the
 * signal knows to notify (it skips the notify otherwise). A signal that read the word before the
 * bit was set did not notify: the word then changed (the returned value differs and the sleep
 * returns at once) or had already changed (SIGNALED seen here: a value the word cannot hold).
 */
export function announce(a: Arena, t: Task, word: number): number {
  if (a.i32[t.base + A_WAIT_KIND] !== WAITK_FENCE) return Atomics.load(a.i32, word);
  const was = Atomics.or(a.i32, word, FENCEF_WAITERS);
  return (was & FENCEF_SIGNALED) !== 0 ? was & ~FENCEF_WAITERS : was | FENCEF_WAITERS;
}

/** The futex word a blocked task sleeps on, or -1 (plain sleep). */
function waitWord(a: Arena, t: Task): number {
  const h = a.i32;
  const obj = h[t.base + A_WAIT_OBJ]!;
  switch (h[t.base + A_WAIT_KIND]) {
    case WAITK_MUTEX: return a.mutex(obj) + M_OWNER;
    case WAITK_FENCE: return a.fence(obj) + F_FLAGS;
    case WAITK_WORD: return obj;
    default: return -1;
  }
}

let sink = 0;
function spinDelay(spins: number): void {
  let x = sink;
  for (let i = 0; i < spins; i++) x = (x * 31 + i) | 0;
  sink = x;
}
