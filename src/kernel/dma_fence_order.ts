/**
 * A fence's place on its timeline (include/linux/dma-fence.h): its context and seqno, and the
 * order of two fences of one context (dma_fence_is_later, 32- or 64-bit seqno compare).
 *
 * Context: any task; pure reads of the fence row. The caller holds references to the fences.
 */
import { FENCEF_SEQNO64, F_CONTEXT, F_FLAGS, F_SEQNO_HI, F_SEQNO_LO } from '../shm/layout.js';
import { fence_check } from './dma_fence_alloc.js';
import type { Task } from './task.js';
import type { Fence } from './types.js';

/** Fence context. */
export function dma_fence_context(t: Task, f: Fence): number {
  return t.i32[t.arena.fence(f) + F_CONTEXT]!;
}

/** Fence seqno (up to 2^53). */
export function dma_fence_seqno(t: Task, f: Fence): number {
  const fb = t.arena.fence(f);
  return (t.i32[fb + F_SEQNO_HI]! * 0x100000000) + (t.i32[fb + F_SEQNO_LO]! >>> 0);
}

/**
 * dma_fence_is_later: `f1` is after `f2` on their shared context. 64-bit compare with SEQNO64,
 * else 32-bit wrap-around compare. The caller holds references to both: a released one is a
 * use-after-free (false, the rows left alone).
 *
 * Fences of different contexts are the kernel's `if (WARN_ON(f1->context != f2->context)) return
 * false;` (include/linux/dma-fence.h): FENCE_LATER_CONTEXT on `f1` with aux [f2 + 1], so the
 * finding names both fences and comparing one fence with two others is two findings, not one.
 */
export function dma_fence_is_later(t: Task, f1: Fence, f2: Fence): boolean {
  const a = t.arena;
  const h = t.i32;
  if (!fence_check(t, f1, 'dma_fence_is_later') || !fence_check(t, f2, 'dma_fence_is_later')) return false;
  if (dma_fence_context(t, f1) !== dma_fence_context(t, f2)) { t.warn('FENCE_LATER_CONTEXT', f1, 0, [f2 + 1]); return false; }
  if ((Atomics.load(h, a.fence(f1) + F_FLAGS) & FENCEF_SEQNO64) !== 0) {
    return dma_fence_seqno(t, f1) > dma_fence_seqno(t, f2);
  }
  return ((h[a.fence(f1) + F_SEQNO_LO]! - h[a.fence(f2) + F_SEQNO_LO]!) | 0) > 0;
}

/** dma_fence_is_later_or_same: identity, or later. */
export function dma_fence_is_later_or_same(t: Task, f1: Fence, f2: Fence): boolean {
  return f1 === f2 || dma_fence_is_later(t, f1, f2);
}
