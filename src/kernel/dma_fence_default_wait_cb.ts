/**
 * dma_fence_default_wait_cb (drivers/dma-buf/dma-fence.c): the kernel's callback that wakes the
 * task waiting on a fence — here the waiter of dma_fence_wait_any_timeout, whose callback nodes
 * carry its doorbell word (a private word, priv.ts) as their argument. Registered on import:
 * dma_fence_signal.ts loads this file, so every thread that signals a fence runs it.
 *
 * Context: the signaller's, with the fence lock held (atomic): it only bumps the word and wakes
 * its sleepers (wake_up_process; in inline/controlled the word's change alone makes the waiter
 * runnable).
 */
import { dma_fence_cb_arg } from './dma_fence_cb.js';
import { KCB_DEFAULT_WAIT, register_kernel_callback } from './dma_fence_ops.js';
import { wake_up_word } from './kref.js';
import { privIndex } from './priv.js';
import { kasan_check_priv } from './priv_kasan.js';
import type { Task } from './task.js';
import type { FenceCb } from './types.js';

/** The callback: bump the doorbell word node `cb` carries, and wake who sleeps on it. A doorbell
 *  given back already (a callback left armed past its wait) is a PRIV_USE_AFTER_FREE titled after
 *  this function, and the write is dropped (kasan_check_priv). */
function dma_fence_default_wait_cb(t: Task, _fence: number, cb: number): void {
  const w = dma_fence_cb_arg(t, cb as FenceCb);
  if (!kasan_check_priv(t, w)) return;
  const i = privIndex(t, w);
  Atomics.add(t.i32, i, 1);
  wake_up_word(t, i);
}

register_kernel_callback(KCB_DEFAULT_WAIT, dma_fence_default_wait_cb);
