/**
 * dma_fence references (include/linux/dma-fence.h dma_fence_get / dma_fence_put /
 * dma_fence_get_rcu, drivers/dma-buf/dma-fence.c dma_fence_release) and the release of a fence
 * whose last reference is gone.
 *
 * The count is a kref, i.e. a refcount_t (kref.ts): the one put that takes it from 1 to 0
 * releases the fence. A get or put after that finds no reference left: the first such call
 * saturates the count at REFCOUNT_SATURATED, and the count never moves again: nothing is released
 * twice or comes back to life. What is reported follows lib/refcount.c refcount_warn_saturate:
 * - a put finding 0 or a saturated count — whoever saturated it, a put or a get — WARNs
 *   FENCE_PUT_UNDERFLOW ("underflow; use-after-free", REFCOUNT_SUB_UAF; REFCOUNT_WARN is
 *   WARN_ONCE: once a trial), so racing puts on one fence give one release and one finding;
 * - a get through a stale handle, or on a count at 0, reports FENCE_GET_RELEASED (a
 *   use-after-free: at every such get; the kernel's "addition on 0", REFCOUNT_ADD_UAF);
 * - a get through a current handle on a saturated count WARNs FENCE_GET_SATURATED ("saturated;
 *   leaking memory", REFCOUNT_ADD_OVF), and dma_fence_get_rcu on one FENCE_GET_RCU_SATURATED
 *   (the same text, REFCOUNT_ADD_NOT_ZERO_OVF), each once a trial. A current handle sees a
 *   saturated count only while the release is under way (a callback run by the release).
 *
 * Saturation and row reuse. A count drops to 0 only by the put that decided the release, and it
 * saturates only after that, so saturation never stops or repeats the release: the releasing
 * task frees the row even if a misuse saturated the count meanwhile, as dma_fence_release frees
 * the fence in the kernel. A saturated row is therefore reclaimed and handed out again, safely:
 * - the one release appends it to the free list once;
 * - fence_free bumps its generation before the row is free, and dma_fence_init sets the count
 *   to 1 only after taking it off the list, so every handle that could see the zero or
 *   saturated count is stale by then, and its calls report and leave the new fence alone;
 * - a get or put through a stale handle moves the row's count only from 0 to saturated
 *   (compare-and-exchange): 0 is the count of a fence whose release is decided, never a live one.
 * What stays open: under the stress executor a get or put by a caller holding no reference may
 * pass the staleness check just before the row is released and reused, and then move the new
 * fence's count — as such a call moves whatever object reuses freed memory in the kernel. A
 * caller holding a reference cannot: its reference keeps the row from being released. Inline and
 * controlled runs never interleave inside a kernel call, so there the window does not exist.
 *
 * Context: any task. Nothing here sleeps; the release signals a fence released with callbacks
 * pending (under its spinlock) and gives the row back (dma_fence_alloc.ts).
 */
import { FENCEF_SIGNALED, F_CB_HEAD, F_ERROR, F_FLAGS, F_REFCOUNT } from '../shm/layout.js';
import { EDEADLK } from '../errno/errno.js';
import { fence_current, fence_free, fence_stale } from './dma_fence_alloc.js';
import { container_ops } from './dma_fence_ops.js';
import { STUB_FENCE } from './dma_fence_init.js';
import { signalUnderLock } from './dma_fence_signal.js';
import { REFCOUNT_SATURATED, refcount_dec, refcount_inc, refcount_inc_not_zero_old, refcount_warn } from './kref.js';
import type { Task } from './task.js';
import type { Fence } from './types.js';

/**
 * dma_fence_get: take a reference; returns `f`. The caller must hold one already. On a released
 * fence (stale handle, or a count at 0) reports FENCE_GET_RELEASED and takes none; on a
 * saturated count WARNs FENCE_GET_SATURATED (once a trial) and takes none.
 */
export function dma_fence_get(t: Task, f: Fence): Fence {
  if (fence_stale(t, f)) {
    saturateReleased(t, f);
    t.warn('FENCE_GET_RELEASED', f);
    return f;
  }
  const old = refcount_inc(t, t.arena.fence(f) + F_REFCOUNT);
  if (old === 0) t.warn('FENCE_GET_RELEASED', f);
  else if (old < 0) refcount_warn(t, 'FENCE_GET_SATURATED', f);
  return f;
}

/**
 * dma_fence_put: drop a reference; a NULL fence (< 0) is a no-op (the kernel's `if (fence)`).
 * The last put releases the fence — a container's release op puts what it holds first —, its
 * row goes back on the free list and `f` becomes stale; releasing it unsignaled with callbacks
 * pending is a refcount bug (WARN, then error -EDEADLK and signal so waiters are not stranded). A
 * put with no reference left (stale handle, count 0 or saturated) saturates the count and WARNs
 * FENCE_PUT_UNDERFLOW once a trial; through a stale handle whose row a live fence reuses it
 * WARNs the same and leaves that fence's count alone.
 */
export function dma_fence_put(t: Task, f: Fence): void {
  if (f < 0) return;
  if (!fence_stale(t, f)) { putRef(t, f); return; }
  saturateReleased(t, f);
  refcount_warn(t, 'FENCE_PUT_UNDERFLOW', f);
}

/**
 * A get or put through stale handle `f`: saturate its row's count if it is still 0 (the released
 * fence's, or a fence reusing the row whose release is decided too); a positive count belongs to
 * a live fence and stays, a saturated one stays saturated.
 */
function saturateReleased(t: Task, f: Fence): void {
  Atomics.compareExchange(t.i32, t.arena.fence(f) + F_REFCOUNT, 0, REFCOUNT_SATURATED);
}

/**
 * Drop a reference on whatever fence holds `f`'s row now, releasing it at zero — through that
 * fence's own handle, since `f` may be stale (dma_fence_get_rcu giving back a reference it took
 * on a reused row). At 0 saturates and WARNs; saturated stays and WARNs (REFCOUNT_SUB_UAF).
 */
function putRef(t: Task, stale: Fence): void {
  const fb = t.arena.fence(stale);
  const old = refcount_dec(t, fb + F_REFCOUNT);
  if (old <= 0) refcount_warn(t, 'FENCE_PUT_UNDERFLOW', stale);
  if (old !== 1) return;
  const f = fence_current(t, stale);
  const flags = Atomics.load(t.i32, fb + F_FLAGS);
  if ((flags & FENCEF_SIGNALED) === 0 && t.i32[fb + F_CB_HEAD] !== 0) {
    t.warn('FENCE_RELEASE_PENDING', f);
    t.i32[fb + F_ERROR] = -EDEADLK;
    signalUnderLock(t, f);
  }
  container_ops(t, f)?.release(t, f);
  fence_free(t, f);
}

/**
 * dma_fence_get_rcu (kref_get_unless_zero; dma_fence_get_rcu_safe): take a reference unless the
 * fence was released — a lockless reader racing with the last put, whose row may even be reused
 * (the kernel's SLAB_TYPESAFE_BY_RCU fences). True when it took one on `f` itself. A count at 0
 * is no misuse (the reader lost the race) and reports nothing. A saturated count counts as taken,
 * as in the kernel (refcount_inc_not_zero), and WARNs FENCE_GET_RCU_SATURATED once a trial
 * (REFCOUNT_ADD_NOT_ZERO_OVF); its fence is being released all the same, so the reader's later
 * put finds `f` stale.
 */
export function dma_fence_get_rcu(t: Task, f: Fence): boolean {
  if (fence_stale(t, f)) return false;
  const old = refcount_inc_not_zero_old(t, t.arena.fence(f) + F_REFCOUNT);
  if (old === 0) return false;
  if (old < 0) refcount_warn(t, 'FENCE_GET_RCU_SATURATED', f);
  if (!fence_stale(t, f)) return true;
  // Reused between the check and the increment: that reference is the new fence's; give it back.
  if (old > 0) putRef(t, f);
  return false;
}

/**
 * Current reference count (for tests and leak reports): 0 once `f` was released;
 * REFCOUNT_SATURATED while a release is under way and a misuse saturated the count.
 */
export function dma_fence_refcount(t: Task, f: Fence): number {
  if (fence_stale(t, f)) return 0;
  return Atomics.load(t.i32, t.arena.fence(f) + F_REFCOUNT);
}

/** dma_fence_get_stub: a reference to the global always-signaled fence. */
export function dma_fence_get_stub(t: Task): Fence {
  return dma_fence_get(t, STUB_FENCE);
}
