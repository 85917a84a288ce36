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
 *
 * The protocol, under the JS memory model (not only x86's TSO: on ARM64 V8 emits plain ldr/str
 * for plain accesses, which may pass the Atomics' ldar/stlr, so a plain record read could pair a
 * new ticket with a stale or half-cleared record). Every access to the record and the ticket is
 * an Atomics one, so all are seq-cst: one total order, each thread's program order within it.
 * - Writer (the actor's own thread, the record's only writer; kernel/wait.ts): block stores the
 *   record, then the new ticket (never 0, drawn anew from C_TICKET), then the state. unblock
 *   stores ticket 0 first, then clears the record, then the state. pauseSleep / resumeSleep store
 *   only the ticket (0, then the same one back) and leave the record alone.
 * - Reader (readSleep): state and ticket, then the record (`read` loads with Atomics.load), then
 *   state and ticket again.
 * A reader whose first ticket load saw T follows block's record stores for T, so its record loads
 * see them or later stores. Every later record store follows a store of ticket 0 (unblock's,
 * before its clears and before the next block), and after that T never returns (resumeSleep
 * restores it only before unblock, with the record untouched). So a record load that saw a later
 * store puts a ticket-0 store before the second ticket load, which cannot read T: T twice means
 * the record read is T's own.
 */
import type { Arena } from '../shm/arena.js';
import { ACTOR_BLOCKED, A_STATE, A_WAIT_TICKET } from '../shm/layout.js';

/**
 * `read(a, i)` of actor i's wait record made while one sleep of it held still, or undefined when
 * there is none to read: the actor is not blocked, is leaving its sleep or trying its lock (ticket
 * 0), or left that sleep while `read` ran (its answer might mix two records or none). `read` reads
 * the record only (wakeableRead, the wait flags and deadline), each field with Atomics.load (the
 * protocol above). Context: any thread of the trial.
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
