/**
 * ww_mutex and plain mutex (kernel/locking/mutex.c, ww_mutex.h).
 *
 * Context: any task. Locking calls are generators: the first yield is the scheduling point before
 * the attempt; a contended lock blocks the task (logically, see wait.ts) until the owner unlocks
 * or, with an acquire context, until the ww rules say it must back off.
 *
 * Return values follow the kernel: 0 acquired, -EDEADLK back off (contexts only), -EALREADY the
 * context already holds it, -EINTR interrupted (interruptible variants). Without a context the
 * lock is a plain mutex: never -EDEADLK or -EALREADY; taking it twice self-deadlocks.
 *
 * Debug checks (lib/locking-selftest.c) are WARNs phrased as the misuse; see warn.ts. The blocking
 * path the lock calls share is mutex_lock_common.ts; the unlock is mutex_unlock.ts.
 */
import {
  C_NEXT_MUTEX, MUTEXF_LIVE, M_CLASS, M_CTX, M_FLAGS, M_KEY, M_OWNER, M_STALE, M_WAITERS, M_WAIT_LOCK, packOp,
} from '../shm/layout.js';
import { OP_TRYLOCK } from '../trace/ops.js';
import { allocRow } from './alloc.js';
import { lockdepMarkSleepingLock, lockdepMutexClass, type LockClassKey } from './lockdep.js';
import { clearStaleWound, lockCommon } from './mutex_lock_common.js';
import type { Task } from './task.js';
import type { KGen, Mutex, WwClass, WwCtx } from './types.js';
import { onAcquired, trySetContext } from './ww_mutex_acquired.js';

/**
 * A new unlocked ww_mutex of class `cls`; `null` makes a plain mutex. `key` is its lockdep class:
 * a class name (or a numeric key); without one a ww_mutex gets its ww_class's lock class and a
 * plain mutex is not validated (lockdep.ts).
 */
export function ww_mutex_init(t: Task, cls: WwClass | null, key: LockClassKey = 0): Mutex {
  const a = t.arena;
  const id = allocRow(a, C_NEXT_MUTEX, a.geometry.mutexes, 'mutex');
  const m = a.mutex(id);
  const h = t.i32;
  h[m + M_OWNER] = 0;
  h[m + M_CTX] = 0;
  h[m + M_CLASS] = cls === null ? 0 : cls + 1;
  h[m + M_WAITERS] = 0;
  h[m + M_KEY] = lockdepMutexClass(t, cls, key);
  h[m + M_FLAGS] = MUTEXF_LIVE;
  h[m + M_WAIT_LOCK] = 0;
  h[m + M_STALE] = 0;
  return id as Mutex;
}

/** A new plain mutex; `key` names its lockdep class (none: not validated). */
export function mutex_init(t: Task, key: LockClassKey = 0): Mutex {
  return ww_mutex_init(t, null, key);
}

/**
 * ww_mutex_lock: see the file comment for results. With a context that held locks before, the
 * stress executor's fault injection (CONFIG_DEBUG_WW_MUTEX_SLOWPATH) may turn a success into
 * -EDEADLK, as ww_mutex_deadlock_injection does: the lock is taken, then released with
 * ww_mutex_unlock (a waiter is woken), and recorded as the context's contended lock.
 */
export function ww_mutex_lock(t: Task, lock: Mutex, ctx: WwCtx | null): KGen<number> {
  return lockCommon(t, lock, ctx, false, false, 0);
}

/** ww_mutex_lock_interruptible: as ww_mutex_lock, or -EINTR when a signal is pending. */
export function ww_mutex_lock_interruptible(t: Task, lock: Mutex, ctx: WwCtx | null): KGen<number> {
  return lockCommon(t, lock, ctx, true, false, 0);
}

/**
 * ww_mutex_lock_slow: after -EDEADLK, with every lock of `ctx` released, sleep until `lock` is
 * acquired. Debug: WARN without a prior -EDEADLK, on another lock, or with locks still held.
 */
export function* ww_mutex_lock_slow(t: Task, lock: Mutex, ctx: WwCtx): KGen<void> {
  yield* lockCommon(t, lock, ctx, false, true, 0);
}

/** ww_mutex_lock_slow_interruptible: 0, or -EINTR when a signal is pending. */
export function ww_mutex_lock_slow_interruptible(t: Task, lock: Mutex, ctx: WwCtx): KGen<number> {
  return lockCommon(t, lock, ctx, true, true, 0);
}

/** mutex_lock: a plain sleeping lock (ww_mutex_lock with a NULL context). */
export function mutex_lock(t: Task, lock: Mutex): KGen<number> {
  return lockCommon(t, lock, null, false, false, 0);
}

/**
 * mutex_lock_nested: mutex_lock, validated by lockdep as subclass `subclass` of the lock's class
 * (0 .. MAX_LOCKDEP_SUBCLASSES - 1; SINGLE_DEPTH_NESTING is 1): a class of its own, so nesting
 * two locks of one class, the inner one as another subclass, is not recursive locking, and the
 * order between the subclasses is a dependency like any other. A subclass out of range leaves the
 * acquisition unvalidated (the kernel turns lockdep off). Returns 0.
 */
export function mutex_lock_nested(t: Task, lock: Mutex, subclass: number): KGen<number> {
  return lockCommon(t, lock, null, false, false, subclass);
}

/** mutex_lock_interruptible: 0 or -EINTR. */
export function mutex_lock_interruptible(t: Task, lock: Mutex): KGen<number> {
  return lockCommon(t, lock, null, true, false, 0);
}

/**
 * ww_mutex_trylock: 1 when acquired, 0 otherwise (also when `ctx` already holds it). No deadlock
 * detection; with a context the lock counts in ctx.acquired, and a context holding nothing drops
 * a stale wound first, as ww_mutex_lock does. Through a context the kernel's order is the
 * blocking path's reversed: ww_mutex_set_context_fastpath's debug checks (ww_mutex_acquired.ts)
 * come first, lockdep's mutex_acquire_nest after them, so a misuse that trips both reports the ww
 * check, whose debug_locks_off then silences the "nested lock was not taken" (trySetContext).
 */
export function* ww_mutex_trylock(t: Task, lock: Mutex, ctx: WwCtx | null): KGen<number> {
  yield packOp(OP_TRYLOCK, lock);
  if (ctx !== null) clearStaleWound(t, ctx);
  const m = t.arena.mutex(lock);
  if (Atomics.compareExchange(t.i32, m + M_OWNER, 0, t.id + 1) !== 0) return 0;
  const cls = t.i32[m + M_KEY]!;
  if (ctx !== null) trySetContext(t, lock, ctx, cls);
  else { lockdepMarkSleepingLock(t, lock, cls); onAcquired(t, lock, null, cls, true); }
  return 1;
}

/** mutex_trylock: 1 when acquired, 0 otherwise. */
export function mutex_trylock(t: Task, lock: Mutex): KGen<number> {
  return ww_mutex_trylock(t, lock, null);
}

export { mutex_unlock, ww_mutex_unlock } from './mutex_unlock.js';

/** Whether `lock` is held by anyone. */
export function ww_mutex_is_locked(t: Task, lock: Mutex): boolean {
  return Atomics.load(t.i32, t.arena.mutex(lock) + M_OWNER) !== 0;
}

/** The actor holding `lock`, or -1. */
export function mutex_owner(t: Task, lock: Mutex): number {
  return Atomics.load(t.i32, t.arena.mutex(lock) + M_OWNER) - 1;
}

/** The acquire context holding `lock`, or null when free or held without one. */
export function ww_mutex_ctx(t: Task, lock: Mutex): WwCtx | null {
  const c = t.i32[t.arena.mutex(lock) + M_CTX]!;
  return c === 0 ? null : (c - 1) as WwCtx;
}
