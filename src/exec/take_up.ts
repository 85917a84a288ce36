/**
 * Taking an actor up: the moment an actor's worker thread, done starting (thread start, module
 * imports, a TypeScript scenario compiled through tsx), begins to run the actor of a trial. A
 * worker starts in ~25 ms on a quiet machine and in 10–20 s under a load of 15–20 on 2 cores, and
 * that time is not the trial's: the threaded executors' trial clocks (controlled's trial timeout,
 * stress's no-progress limit and grace) start once every actor is taken up. Start-up has a bound
 * of its own (STARTUP_MS), so a worker that never gets there is still reported.
 *
 * The thread publishes its kernel thread id in the actor's record (A_TID), which also lets the
 * stress watchdog read its scheduler times (thread_cpu.ts, stall_clock.ts).
 */
import type { Arena } from '../shm/arena.js';
import { A_TID, C_NACTORS } from '../shm/layout.js';
import { threadId } from './thread_cpu.js';

/** Longest a trial's actor threads may take to start before the trial is ended as a hang (ms). */
export const STARTUP_MS = 60_000;

/** A_TID of an actor taken up by a thread whose id the OS does not tell. */
export const TID_UNKNOWN = -1;

/** Mark actor `actor` of the current trial taken up by the calling thread. Context: the actor's
 *  worker thread, once a trial, before the actor's first step. */
export function takeUp(a: Arena, actor: number): void {
  Atomics.store(a.i32, a.actor(actor) + A_TID, threadId() || TID_UNKNOWN);
}

/** Actor `actor`'s thread id: > 0 known, TID_UNKNOWN taken up by a thread of unknown id, 0 not
 *  taken up yet this trial. */
export function actorTid(a: Arena, actor: number): number {
  return Atomics.load(a.i32, a.actor(actor) + A_TID);
}

/**
 * The first actor not taken up yet whose task has not ended either (`ended(i)`: its worker's task
 * settled, e.g. a worker that failed to start), or -1 when there is none: the trial's clocks may
 * run.
 */
export function firstNotTakenUp(a: Arena, ended: (actor: number) => boolean): number {
  const n = a.ctl(C_NACTORS);
  for (let i = 0; i < n; i++) if (actorTid(a, i) === 0 && !ended(i)) return i;
  return -1;
}
