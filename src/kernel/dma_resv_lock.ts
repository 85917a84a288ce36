/**
 * Locking a dma_resv (include/linux/dma-resv.h's inline wrappers around the object's ww_mutex),
 * the per-task lock assertion, and the liveness check every reservation call starts with.
 *
 * Results of the lock calls are ww_mutex's (ww_mutex.ts). Ownership is per task:
 * dma_resv_held and dma_resv_assert_held ask whether the calling task holds the lock.
 *
 * A finished object (dma_resv_fini) is freed memory in the kernel: dma_resv_fini is the last
 * thing done before the object embedding the resv is freed (dma_buf_release:
 * `dma_resv_fini(dmabuf->resv)` and the free of the dma_buf right after), its fence list was freed
 * by `dma_resv_list_free(obj->fences)` without clearing `obj->fences`, and mutex_destroy cleared
 * `lock->magic`. Every call on it is reported as RESV_USE_AFTER_FINI titled after the call
 * (resv_live).
 */
import { RESVF_LIVE, R_FLAGS, R_LOCK, R_MAX } from '../shm/layout.js';
import { list_num, resv_list } from './dma_resv_list.js';
import { lock_is_held } from './lockdep_hooks.js';
import { siteId } from './warn.js';
import type { Task } from './task.js';
import type { KGen, Mutex, Resv, WwCtx } from './types.js';
import {
  ww_mutex_ctx, ww_mutex_is_locked, ww_mutex_lock, ww_mutex_lock_interruptible, ww_mutex_lock_slow,
  ww_mutex_lock_slow_interruptible, ww_mutex_trylock, ww_mutex_unlock,
} from './ww_mutex.js';

/**
 * Check a reservation object at the start of `fn`: true while initialised and not finished;
 * false after reporting a use after dma_resv_fini (RESV_USE_AFTER_FINI, titled after `fn`). Any
 * task, no lock needed. What the caller does on false is its own contract: the lock wrappers
 * still take the lock (the model's lock row outlives the object, so the caller's lock/unlock
 * pairing stays intact and only the use is reported); the fence-list writers change nothing; the
 * readers see no fences.
 */
export function resv_live(t: Task, obj: Resv, fn: string): boolean {
  if ((Atomics.load(t.i32, t.arena.resv(obj) + R_FLAGS) & RESVF_LIVE) !== 0) return true;
  t.warn('RESV_USE_AFTER_FINI', obj, siteId(fn));
  return false;
}

/** The ww_mutex behind `obj`. */
export function dma_resv_mutex(t: Task, obj: Resv): Mutex {
  return t.i32[t.arena.resv(obj) + R_LOCK]! as Mutex;
}

/**
 * The lock wrappers: ww_mutex calls on the object's lock (ww_mutex.ts gives the results). Locking
 * a finished object is a use-after-free, reported before the lock is taken (resv_live).
 */
export function dma_resv_lock(t: Task, obj: Resv, ctx: WwCtx | null): KGen<number> {
  resv_live(t, obj, 'dma_resv_lock');
  return ww_mutex_lock(t, dma_resv_mutex(t, obj), ctx);
}
export function dma_resv_lock_interruptible(t: Task, obj: Resv, ctx: WwCtx | null): KGen<number> {
  resv_live(t, obj, 'dma_resv_lock_interruptible');
  return ww_mutex_lock_interruptible(t, dma_resv_mutex(t, obj), ctx);
}
export function dma_resv_lock_slow(t: Task, obj: Resv, ctx: WwCtx): KGen<void> {
  resv_live(t, obj, 'dma_resv_lock_slow');
  return ww_mutex_lock_slow(t, dma_resv_mutex(t, obj), ctx);
}
export function dma_resv_lock_slow_interruptible(t: Task, obj: Resv, ctx: WwCtx): KGen<number> {
  resv_live(t, obj, 'dma_resv_lock_slow_interruptible');
  return ww_mutex_lock_slow_interruptible(t, dma_resv_mutex(t, obj), ctx);
}

/** dma_resv_trylock: true when acquired (no context, no deadlock detection). */
export function* dma_resv_trylock(t: Task, obj: Resv): KGen<boolean> {
  resv_live(t, obj, 'dma_resv_trylock');
  return (yield* ww_mutex_trylock(t, dma_resv_mutex(t, obj), null)) === 1;
}

/**
 * dma_resv_unlock: dma_resv_reset_max_fences, then unlock. The caller holds the lock.
 *
 * Unlocking a finished object is a use-after-free (mutex_unlock of it also trips
 * debug_mutex_unlock's `DEBUG_LOCKS_WARN_ON(lock->magic != lock)`): reported as
 * RESV_USE_AFTER_FINI titled after dma_resv_unlock, then the lock row (which outlives the object
 * in the model) is unlocked as usual — it holds the caller's lock pairing. So a task that does not
 * hold it (the object was finished and unlocked before) gets, beside, lockdep's bad unlock balance
 * (UNLOCK_NOT_HELD, from mutex_unlock).
 */
export function dma_resv_unlock(t: Task, obj: Resv): void {
  if (resv_live(t, obj, 'dma_resv_unlock')) dma_resv_reset_max_fences(t, obj);
  ww_mutex_unlock(t, dma_resv_mutex(t, obj));
}

/**
 * dma_resv_reset_max_fences (CONFIG_DEBUG_MUTEXES, always enforced here): expire this hold's
 * reservations — max_fences = num_fences — after asserting the lock held. Like the kernel's
 * `dma_resv_assert_held(obj); if (fences) fences->max_fences = fences->num_fences;`, a caller
 * that does not hold the lock WARNs (RESV_NOT_HELD titled after dma_resv_reset_max_fences) and
 * resets the reservation all the same: a stray unlock expires the holder's reserved slots, so
 * its next append hits the fence-slot BUG. Live object; never sleeps.
 */
function dma_resv_reset_max_fences(t: Task, obj: Resv): void {
  heldOrWarn(t, obj, 'dma_resv_reset_max_fences');
  const r = t.arena.resv(obj);
  t.i32[r + R_MAX] = list_num(t, r, resv_list(t, r));
}

/**
 * The lock-state readers: whether the object's lock is held (by anyone), the acquire context
 * holding it (null when unlocked or held without one), and whether the calling task holds it.
 * Any task, no lock needed; a snapshot, stale as soon as it is read unless the caller holds the
 * lock.
 *
 * On a finished object the kernel's inline reads the freed ww_mutex: reported
 * (RESV_USE_AFTER_FINI titled after the reader), then the answer is the model's lock row, which
 * outlives the object — what the caller itself did to the lock. So a caller that locked the
 * finished object sees it held and goes on to unlock it, keeping its lock/unlock pairing (a
 * fixed "unlocked" answer would have it skip the unlock and leak the hold); the use is the one
 * finding, as for the lock wrappers.
 */
export function dma_resv_is_locked(t: Task, obj: Resv): boolean {
  resv_live(t, obj, 'dma_resv_is_locked');
  return ww_mutex_is_locked(t, dma_resv_mutex(t, obj));
}
export function dma_resv_locking_ctx(t: Task, obj: Resv): WwCtx | null {
  resv_live(t, obj, 'dma_resv_locking_ctx');
  return ww_mutex_ctx(t, dma_resv_mutex(t, obj));
}
export function dma_resv_held(t: Task, obj: Resv): boolean {
  resv_live(t, obj, 'dma_resv_held');
  return heldByCurrent(t, obj);
}

/** The calling task holds the lock (lockdep's held-by-current, lock_is_held); no liveness check,
 *  for callers that made it. */
function heldByCurrent(t: Task, obj: Resv): boolean {
  return lock_is_held(t, dma_resv_mutex(t, obj));
}

/** WARN RESV_NOT_HELD (titled after `caller`) unless the calling task holds the lock. */
function heldOrWarn(t: Task, obj: Resv, caller: string): boolean {
  if (heldByCurrent(t, obj)) return true;
  t.warn('RESV_NOT_HELD', obj, siteId(caller));
  return false;
}

/**
 * dma_resv_assert_held: true when the calling task holds the lock; otherwise WARN (lock-not-held,
 * titled after `caller`) and false. On a finished object it reports the use instead
 * (RESV_USE_AFTER_FINI titled after `caller`: lockdep_assert_held reads the freed lock's dep_map)
 * and returns false.
 */
export function dma_resv_assert_held(t: Task, obj: Resv, caller = 'dma_resv_assert_held'): boolean {
  return resv_live(t, obj, caller) && heldOrWarn(t, obj, caller);
}

/**
 * The entry of a locked call `fn` that works on the fence list (reserve, add, replace, the locked
 * iterator): false on a finished object, reported (RESV_USE_AFTER_FINI titled after `fn`), and the
 * caller then leaves the object alone; true otherwise, after asserting the lock held — a WARN
 * only: the call goes on, as after the kernel's lockdep_assert_held.
 */
export function resv_enter_locked(t: Task, obj: Resv, fn: string): boolean {
  if (!resv_live(t, obj, fn)) return false;
  heldOrWarn(t, obj, fn);
  return true;
}
