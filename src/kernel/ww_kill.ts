/**
 * The ww_mutex kill and wound rules (kernel/locking/ww_mutex.h), as pure reads of the arena so
 * both the locking task and the executors' runnable check use the same decision.
 *
 * Stamps: smaller = older = higher priority; `younger(a, b)` is the kernel's __ww_ctx_less(a, b),
 * wrap-safe.
 */
import type { Arena } from '../shm/arena.js';
import {
  ACTOR_BLOCKED, A_STATE, A_WAIT_CTX, A_WAIT_KIND, A_WAIT_OBJ, C_NACTORS, M_CLASS, M_CTX, M_OWNER,
  WAITK_MUTEX, W_WAIT_DIE, X_ACQUIRED, X_STAMP, X_WOUNDED,
} from '../shm/layout.js';

/** True when ctx `x` is younger than ctx `y` (ids, not id + 1). */
export function younger(a: Arena, x: number, y: number): boolean {
  const h = a.i32;
  return ((h[a.ctx(x) + X_STAMP]! - h[a.ctx(y) + X_STAMP]!) | 0) > 0;
}

/** Whether the ww_class of `lock` uses wait-die (else wound-wait). */
export function isWaitDie(a: Arena, lock: number): boolean {
  const cls = a.i32[a.mutex(lock) + M_CLASS]!;
  return cls !== 0 && a.i32[a.wwClass(cls - 1) + W_WAIT_DIE] !== 0;
}

/**
 * __ww_mutex_check_kill: must ctx `x` (held by `actor`, contending for `lock`) back off with
 * -EDEADLK? Never when it holds nothing. Wound-wait: iff it was wounded. Wait-die: iff the
 * holder's ctx is older, or an older ctx already waits for the lock.
 */
export function wwShouldDie(a: Arena, lock: number, x: number, actor: number): boolean {
  const h = a.i32;
  const xb = a.ctx(x);
  if (h[xb + X_ACQUIRED] === 0) return false;
  if (!isWaitDie(a, lock)) return h[xb + X_WOUNDED] !== 0;
  const hold = h[a.mutex(lock) + M_CTX]!;
  if (hold !== 0 && hold - 1 !== x && younger(a, x, hold - 1)) return true;
  return olderCtxWaiting(a, lock, x, actor);
}

/**
 * Wait-die, on queueing (__ww_mutex_add_waiter): ctx `x` holding locks finds an older ctx
 * already waiting for `lock` and dies at once, before the wait loop's signal check. (The holder's
 * age is the loop's business: wwShouldDie, after a pending signal has had its -EINTR.)
 */
export function wwDiesOnQueueing(a: Arena, lock: number, x: number, actor: number): boolean {
  return isWaitDie(a, lock) && a.i32[a.ctx(x) + X_ACQUIRED] !== 0 && olderCtxWaiting(a, lock, x, actor);
}

/** Is some other actor waiting for `lock` with a ctx older than `x`? */
function olderCtxWaiting(a: Arena, lock: number, x: number, actor: number): boolean {
  const h = a.i32;
  const n = h[a.layout.control + C_NACTORS]!;
  for (let i = 0; i < n; i++) {
    if (i === actor) continue;
    const b = a.actor(i);
    if (h[b + A_STATE] !== ACTOR_BLOCKED || h[b + A_WAIT_KIND] !== WAITK_MUTEX) continue;
    const wc = h[b + A_WAIT_CTX]!;
    if (h[b + A_WAIT_OBJ] === lock && wc !== 0 && younger(a, x, wc - 1)) return true;
  }
  return false;
}

/**
 * Wound-wait, on queueing (__ww_mutex_add_waiter → __ww_mutex_wound): waiter ctx `x` holding
 * locks wounds a younger holder ctx — only while the mutex has an owner (a ww->ctx left behind
 * by a plain mutex_unlock, on a free mutex, is not wounded). Returns the wounded ctx id, or -1;
 * the caller wakes the mutex's owner, as the kernel does.
 */
export function wwWoundHolder(a: Arena, lock: number, x: number): number {
  const h = a.i32;
  if (isWaitDie(a, lock) || h[a.ctx(x) + X_ACQUIRED] === 0) return -1;
  const m = a.mutex(lock);
  const hold = h[m + M_CTX]!;
  if (hold === 0 || Atomics.load(h, m + M_OWNER) === 0 || hold - 1 === x || !younger(a, hold - 1, x)) return -1;
  h[a.ctx(hold - 1) + X_WOUNDED] = 1;
  return hold - 1;
}

/**
 * Wound-wait, after ctx `x` acquired `lock` (__ww_mutex_check_waiters): if an older waiter holding
 * locks queues for it, the new holder is wounded. Returns true when `x` got wounded.
 */
export function wwCheckWaitersAfterAcquire(a: Arena, lock: number, x: number, actor: number): boolean {
  const h = a.i32;
  if (isWaitDie(a, lock)) return false;
  const n = h[a.layout.control + C_NACTORS]!;
  for (let i = 0; i < n; i++) {
    const b = a.actor(i);
    if (i === actor || h[b + A_STATE] !== ACTOR_BLOCKED || h[b + A_WAIT_KIND] !== WAITK_MUTEX) continue;
    const wc = h[b + A_WAIT_CTX]!;
    if (h[b + A_WAIT_OBJ] !== lock || wc === 0) continue;
    if (h[a.ctx(wc - 1) + X_ACQUIRED]! > 0 && younger(a, x, wc - 1)) {
      h[a.ctx(x) + X_WOUNDED] = 1;
      return true;
    }
  }
  return false;
}
