/**
 * The deadline hint of a fence (drivers/dma-buf/dma-fence.c dma_fence_set_deadline; the resv's,
 * dma_resv_set_deadline, is dma_resv_deadline.ts): a waiter tells a fence's signaller by when it
 * would like the fence signaled (a vblank, say), so the driver can boost its clocks. A hint only:
 * nothing waits, and a fence without a set_deadline op ignores it — a plain fence has none; a
 * driver's fence ops (dma_fence_user_ops.ts) may supply one; the containers pass it on (since
 * v6.4): an array to each of its fences, a chain to the fence of each point from the head back.
 * The deadline is an absolute time on the trial's clock (Task.now: jiffies), the kernel's ktime_t.
 */
import { fence_check } from './dma_fence_alloc.js';
import { container_ops } from './dma_fence_ops.js';
import { dma_fence_is_signaled } from './dma_fence_signal.js';
import type { Task } from './task.js';
import type { Fence } from './types.js';

/**
 * dma_fence_set_deadline: call the fence ops' set_deadline with `deadline` when the ops have one
 * and the fence is not signaled (dma_fence_is_signaled, which may signal it through ops->signaled);
 * else nothing. A released (stale) handle is reported (FENCE_USE_AFTER_FREE titled after
 * dma_fence_set_deadline) and left alone. Any context; the op must not sleep (it is no generator).
 */
export function dma_fence_set_deadline(t: Task, f: Fence, deadline: number): void {
  if (!fence_check(t, f, 'dma_fence_set_deadline')) return;
  const ops = container_ops(t, f);
  if (ops?.set_deadline !== undefined && !dma_fence_is_signaled(t, f)) ops.set_deadline(t, f, deadline);
}
