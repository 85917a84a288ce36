/**
 * A ww_mutex (or plain mutex) just won (kernel/locking/mutex.c ww_mutex_set_context_fastpath,
 * ww_mutex_lock_acquired; the lockdep acquire around them): the held-lock accounting, the
 * context's bookkeeping and its DEBUG_WW checks, and lockdep's nest_lock verdict for a context,
 * in the order the kernel makes them for the blocking path (mutex_lock_common.ts lockCommon:
 * lockdep first) and for ww_mutex_trylock (the ww checks first).
 *
 * Context: the acquiring task, holding the owner word; takes the mutex's wait_lock for a context.
 */
import {
  A_HELD, C_MODE, EXEC_STRESS, M_CLASS, M_CTX, M_OWNER, M_WAITERS, M_WAIT_LOCK, X_ACQUIRED, X_CLASS, X_CONTENDING, X_DONE, packOp,
} from '../shm/layout.js';
import { EV_ACQUIRED, EV_WOUND } from '../trace/ops.js';
import { LOCKDEP_NOT_NESTED, lockdepAcquired, lockdepCtxNest, lockdepMarkSleepingLock } from './lockdep.js';
import { spin_lock, spin_unlock } from './spinlock.js';
import type { Task } from './task.js';
import type { Mutex, WwCtx } from './types.js';
import { siteId, type WarnName } from './warn.js';
import { isWaitDie, wwCheckWaitersAfterAcquire } from './ww_kill.js';

/** The function a trylock's findings are titled after: its WARNs come from ww_mutex_trylock. */
const SITE_TRYLOCK = siteId('ww_mutex_trylock');

/**
 * A trylock through `ctx` won `lock` (lockdep class `cls`): onAcquired with its ww debug checks,
 * then lockdep's acquire (ww_mutex_trylock's order; __lock_acquire's within it): the class's irq
 * usage (lockdepMarkSleepingLock), the nest_lock check (nestOrStale), whose
 * report a ww check's report silences and which a usage report skips, and the held entry,
 * pushed either way (lockdep.ts: after
 * a report the acquisition is still held, so its release balances). Its findings are titled
 * after ww_mutex_trylock.
 */
export function trySetContext(t: Task, lock: Mutex, ctx: WwCtx, cls: number): void {
  const warned = onAcquired(t, lock, ctx, 0, true, SITE_TRYLOCK);
  if (!lockdepMarkSleepingLock(t, lock, cls)) nestOrStale(t, lock, cls, ctx, warned, SITE_TRYLOCK);
  lockdepAcquired(t, lock, cls);
}

/**
 * After winning the owner word (lockdep class `cls`, held from now on; 0: not pushed here, as by
 * trySetContext, which pushes it after lockdep's nest_lock check): publish the context and, under
 * wait_lock, check the waiters. Returns whether a ww debug check (checkAcquired) reported.
 * Without a context this is the mutex fast path: ww->ctx is not touched — a context left in it
 * by a mutex_unlock of a ww-locked mutex stays, as in the kernel — and wait_lock is not taken, as
 * the kernel's mutex_lock fast path does not take it.
 * `check`: whether to make the ww debug checks — false when this acquisition already reported
 * (nestOrStale's "nested lock was not taken", or lock_slow's own check: lockdep.ts, one report
 * per acquisition); the lock still joins the held stack so that its release balances. `site`:
 * the function the checks' findings are titled after (0: ww_mutex_lock).
 */
export function onAcquired(t: Task, lock: Mutex, ctx: WwCtx | null, cls: number, check: boolean, site = 0): boolean {
  const h = t.i32;
  const a = t.arena;
  const m = a.mutex(lock);
  h[t.base + A_HELD]!++;
  lockdepAcquired(t, lock, cls);
  let warned = false;
  if (ctx !== null) {
    warned = check && checkAcquired(t, lock, ctx, site);
    spin_lock(t, m + M_WAIT_LOCK, lock);
    Atomics.store(h, m + M_CTX, ctx + 1);
    const xb = a.ctx(ctx);
    h[xb + X_ACQUIRED]!++;
    h[xb + X_CONTENDING] = 0;
    if (wwCheckWaitersAfterAcquire(a, lock, ctx, t.id)) t.trace(packOp(EV_WOUND, lock), ctx);
    spin_unlock(t, m + M_WAIT_LOCK);
  }
  if (ctx !== null && h[t.ctl + C_MODE] === EXEC_STRESS && Atomics.load(h, m + M_WAITERS) > 0 && isWaitDie(a, lock)) {
    t.wake(m + M_OWNER);
  }
  t.trace(packOp(EV_ACQUIRED, lock), ctx === null ? -1 : ctx);
  return warned;
}

/**
 * lockdepCtxNest's verdict on `lock` (class `cls`) under `ctx`, for lockdepAcquire; when it does
 * not nest (the context was finished, or is another task's) report "nested lock was not taken"
 * (WW_CTX_STALE, titled after `site`; 0: ww_mutex_lock) unless `silenced` (a ww debug check of
 * the same acquisition reported first — a trylock's, or lock_slow's own —, whose debug_locks_off
 * the kernel's lockdep then honours). The acquisition goes on as lockdep.ts's rule after a report
 * says: its ww debug checks are skipped, its held entry is still pushed. Context: the acquiring
 * task, at a blocking attempt's start (lockCommon) or once a trylock has the lock (trySetContext).
 */
export function nestOrStale(t: Task, lock: Mutex, cls: number, ctx: WwCtx, silenced = false, site = 0): number {
  const nest = lockdepCtxNest(t, cls, ctx);
  if (nest === LOCKDEP_NOT_NESTED && !silenced) t.warn('WW_CTX_STALE', lock, site);
  return nest;
}

/**
 * ww_mutex_lock_acquired's debug checks (DEBUG_WW_MUTEXES), made as the kernel makes them: once
 * `lock` is acquired through `ctx`, before ctx.acquired counts it, in its order (ww->ctx,
 * done_acquire, the contended lock's two, the class). As in the kernel, whose first
 * DEBUG_LOCKS_WARN_ON turns debug_locks off, only the first failing check reports (titled after
 * `site`; 0: ww_mutex_lock); a later acquisition is checked afresh (lockdep.ts). An attempt that
 * dies or is interrupted is not checked (lock_slow's own check, a missing -EDEADLK, is made at
 * its start). Returns whether a check reported.
 */
function checkAcquired(t: Task, lock: Mutex, ctx: WwCtx, site: number): boolean {
  const failed = failedCheck(t, lock, ctx);
  if (failed !== null) t.warn(failed, lock, site);
  return failed !== null;
}

/** The first of ww_mutex_lock_acquired's checks `lock` acquired through `ctx` fails, or null. */
function failedCheck(t: Task, lock: Mutex, ctx: WwCtx): WarnName | null {
  const h = t.i32;
  const xb = t.arena.ctx(ctx);
  const m = t.arena.mutex(lock);
  const contending = h[xb + X_CONTENDING]!;
  if (h[m + M_CTX] !== 0) return 'WW_CTX_STILL_SET';
  if (h[xb + X_DONE] !== 0) return 'WW_LOCK_AFTER_DONE';
  if (contending !== 0 && contending !== lock + 1) return 'WW_WRONG_LOCK_AFTER_EDEADLK';
  if (contending !== 0 && h[xb + X_ACQUIRED]! > 0) return 'WW_HOLDING_AFTER_EDEADLK';
  if (h[xb + X_CLASS] !== h[m + M_CLASS]) return 'WW_CLASS_MISMATCH';
  return null;
}
