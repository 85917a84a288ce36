/**
 * The controlled executor, actor-thread side. Exactly one actor holds the turn. The holder runs
 * its generator to the next yield, then itself decides who runs next (`decide`, the same code as
 * inline) and hands the turn over by setting that actor's seat word and notifying it: there is no
 * scheduler thread. The seat carries the decision's index; the new holder completes the decision
 * (`admit`) itself, so a handoff moves the seat's line and the control record's turn line, and
 * reads no line the other actor writes at every step. Waiting for the seat follows the trial's
 * wait policy: spin briefly, then sleep (actors ≤ cores) or sleep at once (oversubscribed) — one
 * function per policy, so each wait loop stays monomorphic.
 */
import type { Arena } from '../shm/arena.js';
import { futexWake, seatAwaitSleeping, seatAwaitSpinning, seatGrant } from '../shm/futex.js';
import {
  A_GRANT_STEP, A_SEAT, C_NACTORS, C_STATE, C_STEP, C_WAIT_POLICY, TRIAL_RUNNING, WAIT_SPIN,
} from '../shm/layout.js';
import type { Scheduler } from '../sched/scheduler.js';
import type { Task } from '../kernel/task.js';
import type { KGen } from '../kernel/types.js';
import { FAILED, FINISHED, failTrial, resumeActor } from './resume.js';
import { admit, decide } from './step.js';
import { takeUp } from './take_up.js';

/** Longest single sleep while waiting for a seat; the loop re-checks the trial state after it. */
const SEAT_SLICE_MS = 20;
/** Loads a waiter spins before sleeping (spin policy). Shared with the raw-handoff benchmark.
 *  Measured: 2k to 200k loads change nothing (docs/BENCHMARKS.md), so it is not a knob. */
export const SEAT_SPINS = 2000;

/**
 * Run actor `t` of the current controlled trial to its end or the trial's end, marking it taken
 * up first (take_up.ts). Returns a crash message when the actor threw.
 */
export function runControlledActor(a: Arena, t: Task, gen: KGen<unknown>, sched: Scheduler): string | undefined {
  const spin = a.i32[a.layout.control + C_WAIT_POLICY] === WAIT_SPIN;
  let crash: string | undefined;
  const onCrash = (task: Task, err: unknown): void => { crash = failTrial(a, task, err); };
  takeUp(a, t.id);
  for (;;) {
    const step = spin ? awaitSeatSpinning(a, t.base) : awaitSeatSleeping(a, t.base);
    if (step < 0) return crash;
    if (!admit(a, t.id, step)) { wakeAllSeats(a); return crash; }
    for (;;) {
      const r = resumeActor(t, gen, onCrash);
      if (r === FAILED) { wakeAllSeats(a); return crash; }
      const next = decide(a, sched, t.id);
      if (next < 0) { wakeAllSeats(a); return crash; }
      if (next !== t.id) { handoff(a, next); if (r === FINISHED) return crash; break; }
      if (!admit(a, t.id, a.ctl(C_STEP))) { wakeAllSeats(a); return crash; }
    }
  }
}

/** Give the turn to `next` for decision C_STEP: the decision's index, then the seat word (same
 *  line), then the wake-up. */
export function handoff(a: Arena, next: number): void {
  const h = a.i32;
  const b = a.actor(next);
  h[b + A_GRANT_STEP] = h[a.layout.control + C_STEP]!;
  seatGrant(h, b + A_SEAT);
}

/** Wake every actor so those waiting for a seat notice the trial ended (seats stay empty). */
export function wakeAllSeats(a: Arena): void {
  const n = a.ctl(C_NACTORS);
  for (let i = 0; i < n; i++) futexWake(a.i32, a.actor(i) + A_SEAT, 1);
}

/** Wait for the turn (spin policy) at the record `base`. Returns the decision that granted it,
 *  or -1 when the trial ended meanwhile. */
function awaitSeatSpinning(a: Arena, base: number): number {
  const h = a.i32;
  const state = a.layout.control + C_STATE;
  while (!seatAwaitSpinning(h, base + A_SEAT, SEAT_SPINS, SEAT_SLICE_MS)) {
    if (Atomics.load(h, state) !== TRIAL_RUNNING) return -1;
  }
  return Atomics.load(h, state) === TRIAL_RUNNING ? h[base + A_GRANT_STEP]! : -1;
}

/** Wait for the turn (sleep policy); as awaitSeatSpinning. */
function awaitSeatSleeping(a: Arena, base: number): number {
  const h = a.i32;
  const state = a.layout.control + C_STATE;
  while (!seatAwaitSleeping(h, base + A_SEAT, SEAT_SLICE_MS)) {
    if (Atomics.load(h, state) !== TRIAL_RUNNING) return -1;
  }
  return Atomics.load(h, state) === TRIAL_RUNNING ? h[base + A_GRANT_STEP]! : -1;
}
