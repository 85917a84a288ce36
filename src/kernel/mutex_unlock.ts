/**
 * Releasing a mutex (kernel/locking/mutex.c mutex_unlock → __mutex_unlock_slowpath, ww_mutex_unlock
 * → __ww_mutex_unlock + mutex_unlock) for any caller.
 *
 * Context: any task; never sleeps (a plain function, no scheduling point).
 *
 * The kernel releases the mutex whoever calls the unlock. lockdep's lock_release runs first and
 * reports a task with no held entry for the lock ("bad unlock balance detected", UNLOCK_NOT_HELD);
 * the owner check, `DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)`, comes after it (silenced
 * by the lockdep report's debug_locks_off). Then the owner word is cleared whoever owns it and the
 * first waiter woken. So a task unlocking a mutex another task holds releases it: a third task can
 * enter while the holder still believes itself inside. The holder keeps its held entry (M_STALE
 * marks it: lock_is_held answers true, lockdep_assert_held passes) until its own unlock, which
 * then finds the mutex free or held by someone else — the owner check's WARN
 * (MUTEX_UNLOCK_NOT_OWNER, aux [owner actor + 1, or 0 when free]) — pops its entry and releases
 * the mutex once more, taking it from a third task that holds it (who is marked in turn).
 */
import { A_HELD, C_MODE, EXEC_STRESS, M_CTX, M_OWNER, M_STALE, M_WAITERS, M_WAIT_LOCK, X_ACQUIRED, packOp } from '../shm/layout.js';
import { EV_RELEASED } from '../trace/ops.js';
import { lockdepRelease } from './lockdep_hooks.js';
import { spin_lock, spin_unlock } from './spinlock.js';
import type { Task } from './task.js';
import type { Mutex } from './types.js';

/**
 * mutex_unlock: release `lock`, which `t` must hold (also a ww_mutex's base: ww->ctx and the
 * context's count are left as they are, as the kernel leaves them; see ww_mutex_unlock). Misuse
 * is reported and the mutex released all the same (file comment): UNLOCK_NOT_HELD when `t` does
 * not hold it, MUTEX_UNLOCK_NOT_OWNER when another task's unlock released it meanwhile.
 */
export function mutex_unlock(t: Task, lock: Mutex): void {
  const h = t.i32;
  const m = t.arena.mutex(lock);
  const me = t.id + 1;
  const owned = Atomics.load(h, m + M_OWNER) === me;
  if (owned) forget(t, lock);
  if (!owned || Atomics.compareExchange(h, m + M_OWNER, me, 0) !== me) {
    spin_lock(t, m + M_WAIT_LOCK, lock);
    unlockNotOwned(t, lock, m, owned);
    spin_unlock(t, m + M_WAIT_LOCK);
  }
  if (h[t.ctl + C_MODE] === EXEC_STRESS && Atomics.load(h, m + M_WAITERS) > 0) t.wake(m + M_OWNER);
}

/**
 * ww_mutex_unlock: drop `lock` from the acquire context recorded in it (__ww_mutex_unlock: ctx
 * acquired count down, ww->ctx cleared; WW_UNLOCK_UNBALANCED when the context counts none), then
 * mutex_unlock. The context is the lock's, whoever unlocks: a task unlocking a ww_mutex another
 * task locked through a context counts that context down.
 */
export function ww_mutex_unlock(t: Task, lock: Mutex): void {
  const h = t.i32;
  const m = t.arena.mutex(lock);
  const c = h[m + M_CTX]!;
  if (c !== 0) {
    const xb = t.arena.ctx(c - 1);
    if (h[xb + X_ACQUIRED] === 0) t.warn('WW_UNLOCK_UNBALANCED', lock);
    else h[xb + X_ACQUIRED]!--;
    h[m + M_CTX] = 0;
  }
  mutex_unlock(t, lock);
}

/**
 * The unlock of a task that does not own `lock`: the release goes ahead all the same. A task that
 * held it until another's unlock forgets it (unless `forgotten`: its own unlock already did, then
 * lost the owner word to that other unlock) and WARNs MUTEX_UNLOCK_NOT_OWNER; any other task is
 * lockdep's bad unlock balance. A task that owned it meanwhile loses it without knowing and is
 * marked in M_STALE. Called with the mutex's wait_lock held: taking the owner and marking it are
 * one step against another unlock reading its mark (an owner's own unlock is a CAS of its id and
 * takes no lock unless the CAS fails: only a misuse takes a hold from another task).
 */
function unlockNotOwned(t: Task, lock: Mutex, m: number, forgotten: boolean): void {
  const h = t.i32;
  const bit = 1 << t.id;
  const held = forgotten || (Atomics.load(h, m + M_STALE) & bit) !== 0;
  if (held) {
    Atomics.and(h, m + M_STALE, ~bit);
    if (!forgotten) forget(t, lock);
  } else {
    t.warn('UNLOCK_NOT_HELD', lock);
  }
  const was = releaseAnyOwner(h, m + M_OWNER);
  if (was !== 0) Atomics.or(h, m + M_STALE, 1 << (was - 1));
  if (held) t.warn('MUTEX_UNLOCK_NOT_OWNER', lock, 0, [was]);
  else if (was !== 0) t.trace(packOp(EV_RELEASED, lock));
}

/** Clear the owner word at `at` whoever owns it (the kernel's cmpxchg loop); the owner cleared. */
function releaseAnyOwner(h: Int32Array, at: number): number {
  let cur = Atomics.load(h, at);
  for (;;) {
    const prev = Atomics.compareExchange(h, at, cur, 0);
    if (prev === cur) return cur;
    cur = prev;
  }
}

/** `t` no longer holds `lock`: its held count and lockdep entry go; traced as the release. */
function forget(t: Task, lock: Mutex): void {
  t.i32[t.base + A_HELD]!--;
  lockdepRelease(t, lock);
  t.trace(packOp(EV_RELEASED, lock));
}
