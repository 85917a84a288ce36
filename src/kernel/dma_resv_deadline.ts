/**
 * dma_resv_set_deadline (drivers/dma-buf/dma-resv.c): the deadline hint (dma_fence_deadline.ts)
 * for the fences of a reservation object.
 */
import { dma_fence_set_deadline } from './dma_fence_deadline.js';
import type { DmaResvUsage } from './dma_resv.js';
import { dma_resv_iter_begin, dma_resv_iter_end, dma_resv_iter_first_unlocked, dma_resv_iter_next_unlocked } from './dma_resv_iter.js';
import { resv_live } from './dma_resv_lock.js';
import type { Task } from './task.js';
import type { Resv } from './types.js';

/**
 * dma_resv_set_deadline: dma_fence_set_deadline(`deadline`) on every unsignaled fence of `obj`
 * with usage <= `usage`, walked without the lock (dma_resv_for_each_fence_unlocked: a fence may
 * get the hint twice when the walk restarts). No lock needed. A finished object is reported
 * (RESV_USE_AFTER_FINI titled after dma_resv_set_deadline) and has no fences.
 */
export function dma_resv_set_deadline(t: Task, obj: Resv, usage: DmaResvUsage, deadline: number): void {
  if (!resv_live(t, obj, 'dma_resv_set_deadline')) return;
  const c = dma_resv_iter_begin(t, obj, usage, 'dma_resv_set_deadline');
  for (let f = dma_resv_iter_first_unlocked(t, c); f !== undefined; f = dma_resv_iter_next_unlocked(t, c)) dma_fence_set_deadline(t, f, deadline);
  dma_resv_iter_end(t, c);
}
