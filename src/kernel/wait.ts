/**
 * Logical blocking. A task that must sleep records what it waits for in its actor record and
 * yields; executors ask `runnableMask` who may run. In `inline`/`controlled` a sleeper runs again
 * only when its condition holds, or — for a timed sleep — when the scheduler picks its timeout,
 * which is allowed only for the earliest pending deadline (virtual time moves forward in order).
 * In `stress` the same records tell the executor which futex word to sleep on. Every caller that
 * yields while blocked calls hardirq.ts finish_task_switch after each such yield: the task slept,
 * and the kernel's schedule returns with interrupts on.
 */
import type { Arena } from '../shm/arena.js';
import {
  ACTOR_BLOCKED, ACTOR_DONE, ACTOR_READY, ACTOR_WORDS, A_SIGPENDING, A_STATE, A_WAIT_CTX, A_WAIT_DEADLINE,
  A_WAIT_FLAGS, A_WAIT_KIND, A_WAIT_OBJ, A_WAIT_SITE, A_WAIT_TICKET, C_CLOCK, C_TICKET, FENCEF_SIGNALED, F_FLAGS,
  C_MODE, EXEC_STRESS, M_OWNER, WAITF_INTR, WAITF_TIMED, WAITK_FENCE, WAITK_MUTEX, WAITK_WORD,
} from '../shm/layout.js';
import { OP_WAIT_EVENT } from '../trace/ops.js';
import { packOp } from '../shm/layout.js';
import { finish_task_switch } from './hardirq.js';
import type { KGen } from './types.js';
import type { Task } from './task.js';
import { WS_PRIMITIVE } from './wait_site.js';
import { wwShouldDie } from './ww_kill.js';

/** Mark `t` asleep on `kind`/`obj`. `deadline` matters only with WAITF_TIMED; `ctx` is id + 1
 *  for mutex waits and the awaited word's current value for WAITK_WORD; `site` the blocked call
 *  a hang is titled after (wait_site.ts; WS_PRIMITIVE: the kind's own primitive). Every store is
 *  atomic (seq-cst), the new ticket's after the record's: exec/sleep_read.ts's protocol. */
export function block(t: Task, kind: number, obj: number, flags: number, deadline: number, ctx: number, site = WS_PRIMITIVE): void {
  const h = t.i32;
  const b = t.base;
  Atomics.store(h, b + A_WAIT_SITE, site);
  Atomics.store(h, b + A_WAIT_KIND, kind);
  Atomics.store(h, b + A_WAIT_OBJ, obj);
  Atomics.store(h, b + A_WAIT_FLAGS, flags);
  Atomics.store(h, b + A_WAIT_DEADLINE, deadline);
  Atomics.store(h, b + A_WAIT_CTX, ctx);
  Atomics.store(h, b + A_WAIT_TICKET, Atomics.add(h, t.ctl + C_TICKET, 1) + 1);
  Atomics.store(h, b + A_STATE, ACTOR_BLOCKED);
}

/** `t` is awake and no longer waits for anything (nor names a blocked call). The ticket is
 *  cleared first, and the record's stores after it are atomic too: a stress reader of the record
 *  meanwhile (exec/sleep_read.ts: a peer's stall, the watchdog) that sees a store of them sees the
 *  ticket changed, and counts `t` as leaving its wait. */
export function unblock(t: Task): void {
  const h = t.i32;
  Atomics.store(h, t.base + A_WAIT_TICKET, 0);
  Atomics.store(h, t.base + A_WAIT_KIND, 0);
  Atomics.store(h, t.base + A_WAIT_SITE, WS_PRIMITIVE);
  Atomics.store(h, t.base + A_STATE, ACTOR_READY);
}

/**
 * A sleeper (`t` blocked) about to try taking what it waits for without sleeping (a queued mutex
 * waiter's trylock): clears its wait's ticket, so a stress reader (exec/sleep_read.ts) reads it
 * as leaving its sleep should the attempt succeed — until `unblock` its record still names the
 * wait. Returns the ticket, for resumeSleep when the attempt fails.
 */
export function pauseSleep(t: Task): number {
  const ticket = t.i32[t.base + A_WAIT_TICKET]!;
  Atomics.store(t.i32, t.base + A_WAIT_TICKET, 0);
  return ticket;
}

/** After pauseSleep, the attempt failed: `t` sleeps on under its `ticket` (the same sleep). */
export function resumeSleep(t: Task, ticket: number): void {
  Atomics.store(t.i32, t.base + A_WAIT_TICKET, ticket);
}

/** Whether blocked actor `actor`'s wake-up condition holds (ignoring timeouts), for a reader
 *  no write of its wait record can race: the scheduler (inline; controlled, under the turn
 *  token) or the actor's own thread. Plain loads of the record. A reader on another thread while
 *  the actor may run uses wakeableRead. */
export function wakeable(a: Arena, actor: number): boolean {
  const h = a.i32;
  const b = a.actor(actor);
  return wakeOn(a, actor, h[b + A_WAIT_FLAGS]!, h[b + A_WAIT_KIND]!, h[b + A_WAIT_OBJ]!, h[b + A_WAIT_CTX]!);
}

/** wakeable for a reader on another thread while the actor may run (a stress stall or the
 *  watchdog, inside exec/sleep_read.ts's readSleep): every field of the record with Atomics.load,
 *  as that protocol needs. (Atomic loads in wakeable, the scheduler's hot path, cost 3–5 % of
 *  revoke-wait-bookkeep's inline hunt rate.) */
export function wakeableRead(a: Arena, actor: number): boolean {
  const h = a.i32;
  const b = a.actor(actor);
  return wakeOn(a, actor, Atomics.load(h, b + A_WAIT_FLAGS), Atomics.load(h, b + A_WAIT_KIND),
    Atomics.load(h, b + A_WAIT_OBJ), Atomics.load(h, b + A_WAIT_CTX));
}

/** The wake-up condition of `actor`'s wait of `kind` on `obj`, with the `flags` and `ctx` block
 *  stored for it: a signal for an interruptible wait, a free (or dying-for) mutex, a signalled
 *  fence, a changed word. */
function wakeOn(a: Arena, actor: number, flags: number, kind: number, obj: number, ctx: number): boolean {
  const h = a.i32;
  if ((flags & WAITF_INTR) !== 0 && Atomics.load(h, a.actor(actor) + A_SIGPENDING) !== 0) return true;
  switch (kind) {
    case WAITK_MUTEX:
      if (Atomics.load(h, a.mutex(obj) + M_OWNER) === 0) return true;
      return ctx !== 0 && wwShouldDie(a, obj, ctx - 1, actor);
    case WAITK_FENCE:
      return (Atomics.load(h, a.fence(obj) + F_FLAGS) & FENCEF_SIGNALED) !== 0;
    case WAITK_WORD:
      return Atomics.load(h, obj) !== ctx;
    default:
      return false;
  }
}

/**
 * Bitmask of actors in [0, n) that may run now: not-yet-blocked actors, sleepers whose condition
 * holds, and timed sleepers holding the earliest pending deadline (their timeout may fire).
 */
export function runnableMask(a: Arena, n: number): number {
  const h = a.i32;
  let ready = 0;
  let blocked = 0;
  for (let i = 0, st = a.layout.actors + A_STATE; i < n; i++, st += ACTOR_WORDS) {
    const s = h[st]!;
    if (s === ACTOR_BLOCKED) blocked |= 1 << i;
    else if (s !== ACTOR_DONE) ready |= 1 << i;
  }
  return blocked === 0 ? ready : ready | blockedRunnable(a, blocked);
}

/** Of the blocked actors in the bitmask `blocked`: those whose condition holds, and the timed
 *  sleepers holding the earliest deadline among the others. */
function blockedRunnable(a: Arena, blocked: number): number {
  const h = a.i32;
  let mask = 0;
  let timed = 0;
  let earliest = 0x7fffffff;
  for (let m = blocked; m !== 0; m &= m - 1) {
    const i = 31 - Math.clz32(m & -m);
    const b = a.actor(i);
    if (wakeable(a, i)) { mask |= 1 << i; continue; }
    if ((h[b + A_WAIT_FLAGS]! & WAITF_TIMED) === 0) continue;
    const d = h[b + A_WAIT_DEADLINE]!;
    if (d < earliest) { earliest = d; timed = 1 << i; } else if (d === earliest) timed |= 1 << i;
  }
  return mask | timed;
}

/**
 * Called by inline/controlled executors just before resuming the blocked actor `actor` (the
 * caller tests ACTOR_BLOCKED, so a ready actor costs no call at every step): when its condition
 * does not hold, the scheduler chose its timeout, so virtual time jumps to its deadline.
 */
export function fireTimeoutIfChosen(a: Arena, actor: number): void {
  const h = a.i32;
  const b = a.actor(actor);
  if (wakeable(a, actor)) return;
  const clock = a.layout.control + C_CLOCK;
  const d = h[b + A_WAIT_DEADLINE]!;
  if (d > h[clock]!) h[clock] = d;
}

/**
 * Wake actor `actor` from its futex sleep (stress only) because its wake-up condition may have
 * changed in a way its wait word does not show: it was wounded, a signal arrived, or an older
 * context took the lock it waits for. Inline and controlled recompute runnability at every step.
 */
export function wakeActor(t: Task, actor: number): void {
  const a = t.arena;
  const h = a.i32;
  if (h[a.layout.control + C_MODE] !== EXEC_STRESS) return;
  const b = a.actor(actor);
  if (Atomics.load(h, b + A_STATE) !== ACTOR_BLOCKED) return;
  const obj = h[b + A_WAIT_OBJ]!;
  switch (h[b + A_WAIT_KIND]) {
    case WAITK_MUTEX: t.wake(a.mutex(obj) + M_OWNER); break;
    case WAITK_FENCE: t.wake(a.fence(obj) + F_FLAGS); break;
    case WAITK_WORD: t.wake(obj); break;
    default: break;
  }
}

/**
 * The sleep of wait_event and its timed / interruptible variants: until arena word `index` (an
 * absolute index: priv words through privIndex) no longer equals `value`, virtual time reaches
 * `deadline` (0: none) or — `intr` — a signal is pending. One scheduling point first; returns
 * without sleeping when one of those already holds then. `site` names the blocked call a hang is
 * titled after (wait_site.ts). Callers state their own might_sleep and read `value` before the
 * condition they test, so a wake between the two is not lost.
 */
export function* sleep_on_word(t: Task, index: number, value: number, site = WS_PRIMITIVE, deadline = 0, intr = false): KGen<void> {
  const op = packOp(OP_WAIT_EVENT, index & 0xffffff);
  yield op;
  if (woken(t, index, value, deadline, intr)) return;
  block(t, WAITK_WORD, index, (deadline !== 0 ? WAITF_TIMED : 0) | (intr ? WAITF_INTR : 0), deadline, value, site);
  do { yield op; finish_task_switch(t); } while (!woken(t, index, value, deadline, intr));
  unblock(t);
}

/** sleep_on_word's wake condition. */
function woken(t: Task, index: number, value: number, deadline: number, intr: boolean): boolean {
  return Atomics.load(t.i32, index) !== value || (deadline !== 0 && t.now() >= deadline) || (intr && t.signalPending());
}
