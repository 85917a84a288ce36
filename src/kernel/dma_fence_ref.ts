/**
 * dma_fence references (include/linux/dma-fence.h dma_fence_get / dma_fence_put /
 * dma_fence_get_rcu, drivers/dma-buf/dma-fence.c dma_fence_release) and the release of a fence
 * whose last reference is gone.
 *
 * Context: any task. Nothing here sleeps; the release signals a fence released with callbacks
 * pending (under its spinlock) and gives the row back (dma_fence_alloc.ts).
 */
import { FENCEF_SIGNALED, F_CB_HEAD, F_ERROR, F_FLAGS, F_REFCOUNT } from '../shm/layout.js';
import { EDEADLK } from '../errno/errno.js';
import { fence_current, fence_free, fence_stale } from './dma_fence_alloc.js';
import { STUB_FENCE } from './dma_fence_init.js';
import { dma_fence_signal } from './dma_fence_signal.js';
import type { Task } from './task.js';
import type { Fence } from './types.js';

/** dma_fence_get: take a reference; returns `f`. On a released fence: use-after-free (WARN, no reference). */
export function dma_fence_get(t: Task, f: Fence): Fence {
  if (fence_stale(t, f)) { t.warn('FENCE_GET_RELEASED', f); return f; }
  if (Atomics.add(t.i32, t.arena.fence(f) + F_REFCOUNT, 1) <= 0) t.warn('FENCE_GET_RELEASED', f);
  return f;
}

/**
 * dma_fence_put: drop a reference. The last put releases the fence — its row goes back on the
 * free list and `f` becomes stale; releasing it unsignaled with callbacks pending is a refcount
 * bug (WARN, then error -EDEADLK and signal so waiters are not stranded). A put below zero, or
 * through a handle already released, WARNs and changes nothing.
 */
export function dma_fence_put(t: Task, f: Fence): void {
  if (fence_stale(t, f)) { t.warn('FENCE_PUT_UNDERFLOW', f); return; }
  putRef(t, f);
}

/**
 * Drop a reference on whatever fence holds `f`'s row now, releasing it at zero — through that
 * fence's own handle, since `f` may be stale (dma_fence_get_rcu giving back a reference it took
 * on a reused row).
 */
function putRef(t: Task, stale: Fence): void {
  const fb = t.arena.fence(stale);
  const left = Atomics.sub(t.i32, fb + F_REFCOUNT, 1) - 1;
  if (left < 0) { t.warn('FENCE_PUT_UNDERFLOW', stale); return; }
  if (left > 0) return;
  const f = fence_current(t, stale);
  const flags = Atomics.load(t.i32, fb + F_FLAGS);
  if ((flags & FENCEF_SIGNALED) === 0 && t.i32[fb + F_CB_HEAD] !== 0) {
    t.warn('FENCE_RELEASE_PENDING', f);
    t.i32[fb + F_ERROR] = -EDEADLK;
    dma_fence_signal(t, f);
  }
  fence_free(t, f);
}

/**
 * dma_fence_get_rcu (dma_fence_get_rcu_safe): take a reference unless the fence was released — a
 * lockless reader racing with the last put, whose row may even be reused (the kernel's
 * SLAB_TYPESAFE_BY_RCU fences). True when it took one on `f` itself; never reports.
 */
export function dma_fence_get_rcu(t: Task, f: Fence): boolean {
  const i = t.arena.fence(f) + F_REFCOUNT;
  for (;;) {
    if (fence_stale(t, f)) return false;
    const v = Atomics.load(t.i32, i);
    if (v <= 0) return false;
    if (Atomics.compareExchange(t.i32, i, v, v + 1) !== v) continue;
    if (!fence_stale(t, f)) return true;
    // Reused between the check and the increment: that reference is the new fence's; give it back.
    putRef(t, f);
    return false;
  }
}

/** Current reference count (for tests and leak reports); 0 once `f` was released. */
export function dma_fence_refcount(t: Task, f: Fence): number {
  if (fence_stale(t, f)) return 0;
  return Atomics.load(t.i32, t.arena.fence(f) + F_REFCOUNT);
}

/** dma_fence_get_stub: a reference to the global always-signaled fence. */
export function dma_fence_get_stub(t: Task): Fence {
  return dma_fence_get(t, STUB_FENCE);
}
