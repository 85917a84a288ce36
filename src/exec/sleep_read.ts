/**
 * Reading another actor's sleep from another thread, under stress: a peer's stall
 * (stress_stalls.ts othersCanRun) and the main thread's watchdog (stress_watch.ts) read a wait
 * record its actor's thread writes meanwhile (kernel/wait.ts block and unblock; a queued mutex
 * waiter's trylock, kernel/mutex_lock_common.ts), and the OS may hold either thread between two
 * of its stores or loads for milliseconds. A record half made or half cleared can read as a
 * sleep nothing ends, or as one that ended. The wait's ticket (A_WAIT_TICKET) tells: drawn anew
 * for every sleep before its state turns BLOCKED, and 0 (stored first) while the sleeper leaves
 * its sleep or tries a lock it waits for. So a read of the record stands only when the state and
 * the ticket read the same after it as before.
 */
import type { Arena } from '../shm/arena.js';
import { ACTOR_BLOCKED, A_STATE, A_WAIT_TICKET } from '../shm/layout.js';

/**
 * `read(a, i)` of actor i's wait record made while one sleep of it held still, or undefined when
 * there is none to read: the actor is not blocked, is leaving its sleep or trying its lock (ticket
 * 0), or left that sleep while `read` ran (its answer might mix two records or none). `read` reads
 * the record only (wakeable, the wait flags and deadline). Context: any thread of the trial.
 */
export function readSleep<T>(a: Arena, i: number, read: (a: Arena, i: number) => T): T | undefined {
  const h = a.i32;
  const b = a.actor(i);
  if (Atomics.load(h, b + A_STATE) !== ACTOR_BLOCKED) return undefined;
  const ticket = Atomics.load(h, b + A_WAIT_TICKET);
  if (ticket === 0) return undefined;
  const r = read(a, i);
  if (Atomics.load(h, b + A_STATE) !== ACTOR_BLOCKED) return undefined;
  return Atomics.load(h, b + A_WAIT_TICKET) === ticket ? r : undefined;
}
