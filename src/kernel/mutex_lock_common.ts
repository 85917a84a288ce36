/**
 * The blocking acquisition of a mutex or ww_mutex (kernel/locking/mutex.c __mutex_lock_common,
 * with ww_mutex.h's wound-wait and wait-die on contention): the checks before the attempt
 * (lock_slow's missing -EDEADLK, might_sleep, lockdep's part), the fast try, the contended slow
 * path (queue, wound or die, sleep) and ww_mutex_lock's -EDEADLK injection. The lock calls of
 * ww_mutex.ts are its entries; results as that file's comment says.
 *
 * Context: any task; a generator whose first yield is the scheduling point before the attempt.
 */
import { EALREADY, EDEADLK, EINTR } from '../errno/errno.js';
import {
  M_CLASS, M_CTX, M_KEY, M_OWNER, M_WAITERS, M_WAIT_LOCK, WAITF_INTR, WAITK_MUTEX, X_ACQUIRED, X_CONTENDING, X_WOUNDED, packOp,
} from '../shm/layout.js';
import { EV_EALREADY, EV_EDEADLK, EV_WOUND, OP_LOCK, OP_LOCK_WAIT } from '../trace/ops.js';
import {
  ACQ_FNS, ACQ_MUTEX, ACQ_NESTED, ACQ_WW, ACQ_WW_SLOW, LOCKDEP_NOT_NESTED, lockdepAcquire, lockdepInvalidWait, lockdepMarkSleepingLock,
  lockdepSubclass,
} from './lockdep.js';
import { finish_task_switch } from './hardirq.js';
import { might_sleep } from './might_sleep.js';
import { ww_mutex_unlock } from './mutex_unlock.js';
import { in_atomic } from './preempt.js';
import { spin_lock, spin_unlock } from './spinlock.js';
import type { Task } from './task.js';
import type { KGen, Mutex, WwCtx } from './types.js';
import { block, pauseSleep, resumeSleep, unblock, wakeActor } from './wait.js';
import { waitSiteOf } from './wait_site.js';
import { wwDiesOnQueueing, wwShouldDie, wwWoundHolder } from './ww_kill.js';
import { nestOrStale, onAcquired } from './ww_mutex_acquired.js';

/**
 * The blocking lock calls (__mutex_lock_common, then ww_mutex_lock's injection): `slow` for the
 * lock_slow variants, `sub` the lockdep subclass (mutex_lock_nested; 0 otherwise). lock_slow's
 * own check (a missing -EDEADLK) comes first of all — ww_mutex_lock_slow's DEBUG_LOCKS_WARN_ON
 * precedes its ww_mutex_lock, so also the -EALREADY of a lock the context holds — and, reported,
 * silences the attempt's nest_lock and ww debug checks (lockdep.ts: one report per acquisition).
 * might_sleep comes next, before the first scheduling point: under a spinlock the attempt is
 * SLEEP_IN_ATOMIC, titled after the lock call (ACQ_FNS), and then goes on as the kernel's does.
 * lockdep's part (mutex_acquire_nest, lockdepPart) comes before the lock is tried, so what it
 * reports is reported whether the attempt then acquires, blocks for good, dies or is interrupted.
 */
export function* lockCommon(t: Task, lock: Mutex, ctx: WwCtx | null, intr: boolean, slow: boolean, sub: number): KGen<number> {
  const h = t.i32;
  const a = t.arena;
  const warned = slow && ctx !== null && h[a.ctx(ctx) + X_CONTENDING] === 0;
  if (warned) t.warn('WW_SLOW_NO_EDEADLK', lock);
  const atomic = in_atomic(t);
  const how = acqKind(t, lock, slow, sub);
  might_sleep(t, ACQ_FNS[how], lock);
  yield packOp(OP_LOCK, lock);
  const m = a.mutex(lock);
  if (ctx !== null) {
    if (h[m + M_CTX] === ctx + 1) { t.trace(packOp(EV_EALREADY, lock)); return -EALREADY; }
    clearStaleWound(t, ctx);
  }
  const cls = sub === 0 ? h[m + M_KEY]! : lockdepSubclass(a, h[m + M_KEY]!, sub);
  const check = lockdepPart(t, lock, ctx, cls, how, warned, atomic);
  if (Atomics.compareExchange(h, m + M_OWNER, 0, t.id + 1) === 0) onAcquired(t, lock, ctx, cls, check);
  else {
    const ret = yield* sleepOnLock(t, lock, ctx, intr, cls, check, LOCK_WAIT_SITES[how]![intr ? 1 : 0]!);
    if (ret !== 0) return ret;
  }
  if (ctx !== null && h[a.ctx(ctx) + X_ACQUIRED]! > 1 && t.injectDeadlk()) {
    ww_mutex_unlock(t, lock);
    return die(t, lock, ctx, check);
  }
  return 0;
}

/**
 * lockdep's part of a blocking attempt of `lock` (class `cls`, asked for as `how`), in the order
 * of kernel/locking/lockdep.c __lock_acquire (checked against it: check_wait_context, mark_usage,
 * the nest_lock check, validate_chain): check_wait_context — with a spinlock held (`atomic`, read
 * at the attempt's start) INVALID_WAIT_CONTEXT and nothing more of lockdep's (lockdepInvalidWait)
 * —, then the class's irq usage (lockdepMarkSleepingLock: so a dependency the attempt adds is
 * checked with it, as validate_chain's check_irq_usage is; a usage report ends lockdep's part as
 * INVALID_WAIT_CONTEXT does, lockdep.ts), then through a context the nest_lock
 * check ("nested lock was not taken", silenced by lock_slow's report `warned`) and the
 * dependencies (lockdepAcquire). Returns whether the acquisition's ww debug checks are made: not
 * after lock_slow's report nor a failed nest_lock check. Not modelled: __lock_acquire's merge
 * through a context — the top held lock of the same class and a nest_lock (ww_mutex_lock's ctx)
 * only add a reference and return before check_wait_context and mark_usage —, so the model
 * checks the wait context and marks the usage of every attempt (spinlock_lockdep.ts
 * spin_lock_nest_lock likewise).
 */
function lockdepPart(t: Task, lock: Mutex, ctx: WwCtx | null, cls: number, how: number, warned: boolean, atomic: boolean): boolean {
  if (atomic) { lockdepInvalidWait(t, lock, how); return !warned; }
  if (lockdepMarkSleepingLock(t, lock, cls)) return !warned;
  const nest = ctx === null ? 0 : nestOrStale(t, lock, cls, ctx, warned);
  lockdepAcquire(t, lock, cls, ctx, how, nest);
  return !warned && nest !== LOCKDEP_NOT_NESTED;
}

/** The kind of acquisition (ACQ_*) a blocking lock call of `lock` is: `slow` for the lock_slow
 *  variants, `sub` the lockdep subclass (0: none). It picks the function findings name
 *  (ACQ_FNS). */
function acqKind(t: Task, lock: Mutex, slow: boolean, sub: number): number {
  if (slow) return ACQ_WW_SLOW;
  if (sub !== 0) return ACQ_NESTED;
  return t.i32[t.arena.mutex(lock) + M_CLASS] !== 0 ? ACQ_WW : ACQ_MUTEX;
}

/** The lock call a hang blocked in it is titled after (wait_site.ts), by kind of acquisition
 *  (ACQ_*): [plain, interruptible]. */
const LOCK_WAIT_SITES: readonly (readonly number[])[] = [
  [waitSiteOf('mutex_lock'), waitSiteOf('mutex_lock_interruptible')],
  [waitSiteOf('ww_mutex_lock'), waitSiteOf('ww_mutex_lock_interruptible')],
  [waitSiteOf('ww_mutex_lock_slow'), waitSiteOf('ww_mutex_lock_slow_interruptible')],
  [waitSiteOf('mutex_lock_nested'), waitSiteOf('mutex_lock_interruptible_nested')],
];

/** Wound-wait, on contention (__ww_mutex_add_waiter): wound a younger holder, wake the owner;
 *  traced. */
function woundHolder(t: Task, lock: Mutex, ctx: WwCtx): void {
  const wounded = wwWoundHolder(t.arena, lock, ctx);
  if (wounded < 0) return;
  t.trace(packOp(EV_WOUND, lock), wounded);
  const owner = Atomics.load(t.i32, t.arena.mutex(lock) + M_OWNER);
  if (owner !== 0) wakeActor(t, owner - 1);
}

/**
 * The contended slow path (__mutex_lock_common): queue as a waiter — wait-die dies here on an
 * older waiter — then loop until acquired, interrupted or killed, in the kernel's order: trylock,
 * a pending signal (-EINTR, interruptible variants), the kill check (-EDEADLK), then sleep. A
 * wake from a sleep entered with interrupts off turns them on (finish_task_switch) and marks
 * `lock`'s class `cls` HARDIRQ-unsafe with the held locks: lockdep holds the mutex across the
 * sleep. `check`: as onAcquired's; `site`: the lock call a hang is titled after (LOCK_WAIT_SITES).
 */
function* sleepOnLock(t: Task, lock: Mutex, ctx: WwCtx | null, intr: boolean, cls: number, check: boolean, site: number): KGen<number> {
  const h = t.i32;
  const a = t.arena;
  const m = a.mutex(lock);
  spin_lock(t, m + M_WAIT_LOCK, lock);
  block(t, WAITK_MUTEX, lock, intr ? WAITF_INTR : 0, 0, ctx === null ? 0 : ctx + 1, site);
  t.trace(packOp(OP_LOCK_WAIT, lock));
  Atomics.add(h, m + M_WAITERS, 1);
  if (ctx !== null) woundHolder(t, lock, ctx);
  spin_unlock(t, m + M_WAIT_LOCK);
  if (ctx !== null && wwDiesOnQueueing(a, lock, ctx, t.id)) return dieWaiting(t, m, lock, ctx, check);
  for (;;) {
    if (waiterTrylock(t, m)) {
      leaveQueue(t, m, 0);
      onAcquired(t, lock, ctx, cls, check);
      return 0;
    }
    if (intr && t.signalPending()) return leaveQueue(t, m, -EINTR);
    if (ctx !== null && wwShouldDie(a, lock, ctx, t.id)) return dieWaiting(t, m, lock, ctx, check);
    yield packOp(OP_LOCK_WAIT, lock);
    finish_task_switch(t, lock, cls);
  }
}

/**
 * A queued waiter's trylock (the wait loop's __mutex_trylock): whether it took the mutex at `m`.
 * The attempt runs with the waiter's sleep paused (wait.ts pauseSleep; resumed if it fails): it
 * won the lock word before leaveQueue unblocks it, and a stress reader seeing it blocked on a mutex
 * held (by itself), not wakeable, would count it asleep for good — a peer's stall ending
 * 'none-can-run', the watchdog not counting its thread's wait for a CPU and judging a deadlock of
 * a waiter on itself — while it only waits to run. A waiter on a mutex it held before (AA) fails
 * the attempt and reads as asleep again.
 */
function waiterTrylock(t: Task, m: number): boolean {
  const ticket = pauseSleep(t);
  if (Atomics.compareExchange(t.i32, m + M_OWNER, 0, t.id + 1) === 0) return true;
  resumeSleep(t, ticket);
  return false;
}

/** A queued waiter dies: it leaves the queue and returns -EDEADLK (die; `check` as die's). */
function dieWaiting(t: Task, m: number, lock: Mutex, ctx: WwCtx, check: boolean): number {
  leaveQueue(t, m, 0);
  return die(t, lock, ctx, check);
}

/** A context holding nothing is a fresh or backed-off transaction: it is no longer wounded.
 *  Context: `ctx`'s owner, at a lock attempt through it (blocking or trylock). */
export function clearStaleWound(t: Task, ctx: WwCtx): void {
  const xb = t.arena.ctx(ctx);
  if (t.i32[xb + X_ACQUIRED] === 0) t.i32[xb + X_WOUNDED] = 0;
}

function leaveQueue(t: Task, m: number, ret: number): number {
  Atomics.sub(t.i32, m + M_WAITERS, 1);
  unblock(t);
  return ret;
}

/**
 * The context dies on `lock` (__ww_mutex_kill; the caller saw ctx.acquired > 0): it records the
 * contended lock and returns -EDEADLK. Debug: WARN when it already had one — it got -EDEADLK
 * before and went on locking instead of backing off to that lock — unless `check` is false: this
 * acquisition already reported (the kernel's first DEBUG_LOCKS_WARN_ON turned debug_locks off;
 * lockdep.ts, one report per acquisition).
 */
function die(t: Task, lock: Mutex, ctx: WwCtx, check: boolean): number {
  const contending = t.arena.ctx(ctx) + X_CONTENDING;
  if (check && t.i32[contending] !== 0) t.warn('WW_EDEADLK_AGAIN', lock);
  t.i32[contending] = lock + 1;
  t.trace(packOp(EV_EDEADLK, lock), ctx);
  return -EDEADLK;
}
