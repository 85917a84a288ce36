/**
 * dma_fence_wait_any_timeout (drivers/dma-buf/dma-fence.c): sleep until the first of several
 * fences signals (kernel-semantics §3.5). As the kernel does, it arms dma_fence_default_wait_cb on
 * every fence (one node each, in a kcalloc'd array: here private words, the first the doorbell
 * the callbacks ring) and sleeps until a callback rang, the time ran out or — interruptible — a
 * signal is pending; the nodes still armed are removed before it returns.
 *
 * Time is jiffies, as for dma_fence_wait_timeout (dma_fence_wait.ts). A hang in the sleep is
 * titled after this call (wait_site.ts).
 */
import { EINVAL, ERESTARTSYS } from '../errno/errno.js';
import { packOp } from '../shm/layout.js';
import { OP_FENCE_WAIT } from '../trace/ops.js';
import { dma_fence_add_callback, dma_fence_cb_alloc, dma_fence_cb_free, dma_fence_remove_callback } from './dma_fence_cb.js';
import { KCB_DEFAULT_WAIT } from './dma_fence_ops.js';
import { dma_fence_is_signaled, dma_fence_test_signaled_flag } from './dma_fence_signal.js';
import { GFP_KERNEL } from './gfp.js';
import { kfree_words, kzalloc_words, privIndex, priv_load, priv_store } from './priv.js';
import type { Task } from './task.js';
import { timeout_deadline, timeout_left } from './schedule_timeout.js';
import type { Fence, FenceCb, KGen } from './types.js';
import { sleep_on_word } from './wait.js';
import { WS_DMA_FENCE_WAIT_ANY_TIMEOUT } from './wait_site.js';

/** What dma_fence_wait_any_timeout returns: `ret`, and `idx` (the kernel's `*idx`), -1 when not
 *  set. */
export interface WaitAny { readonly ret: number; readonly idx: number }

/**
 * dma_fence_wait_any_timeout(fences, count, intr, timeout, &idx). Returns `ret`:
 * - -EINVAL for no fences or a negative timeout (WARN: FENCE_WAIT_ANY_INVALID);
 * - timeout 0: 1 with `idx` the first signaled fence (dma_fence_is_signaled, which may signal
 *   through ops->signaled), else 0 — immediately, no sleep, no allocation;
 * - else > 0 (the jiffies left, `timeout` itself when one was signaled before any sleep; a wait
 *   for ever stays MAX_SCHEDULE_TIMEOUT) with `idx` the first fence found signaled — one whose
 *   callback could not be armed (dma_fence_add_callback non-zero: signaled already), or the first
 *   in array order with its SIGNALED flag set when the task wakes; 0 when the time ran out;
 *   -ERESTARTSYS when `intr` and a signal is pending after a sleep (or before the first, which
 *   would not sleep). `idx` is -1 whenever the kernel leaves it unset.
 * Context: process context; may sleep. The callback array is a GFP_KERNEL allocation
 * (might_alloc: under a spinlock SLEEP_IN_ATOMIC, in a signalling section circular locking);
 * -ENOMEM is not modelled. Fences are not referenced (the caller holds them).
 */
export function* dma_fence_wait_any_timeout(t: Task, fences: readonly Fence[], intr: boolean, timeout: number): KGen<WaitAny> {
  if (fences.length === 0 || timeout < 0) { t.warn('FENCE_WAIT_ANY_INVALID', fences[0] ?? 0); return { ret: -EINVAL, idx: -1 }; }
  if (timeout === 0) {
    const i = fences.findIndex((f) => dma_fence_is_signaled(t, f));
    return { ret: i < 0 ? 0 : 1, idx: i };
  }
  const w = kzalloc_words(t, fences.length + 1, GFP_KERNEL, dma_fence_wait_any_timeout);
  yield packOp(OP_FENCE_WAIT, fences[0]!);
  let idx = -1;
  let tried = 0;
  while (idx < 0 && tried < fences.length) {
    const cb = dma_fence_cb_alloc(t, w);
    priv_store(t, w + 1 + tried, cb);
    if (dma_fence_add_callback(t, fences[tried]!, cb, KCB_DEFAULT_WAIT) !== 0) idx = tried;
    tried++;
  }
  const r = idx >= 0 ? { ret: timeout, idx } : yield* sleepForAny(t, fences, w, intr, timeout);
  disarm(t, fences, w, idx >= 0 ? idx : tried);
  freeNodes(t, w, tried);
  kfree_words(t, w, fences.length + 1, dma_fence_wait_any_timeout);
  return r;
}

/**
 * The kernel's `while (ret > 0)` loop: dma_fence_test_signaled_any (the first fence in array order
 * with its SIGNALED flag set: `idx`), else schedule_timeout on doorbell `w` (sleep_on_word: one
 * scheduling point, then asleep until the bell rings, the deadline passes or — `intr` — a signal
 * is pending). Returns the jiffies left (> 0) with `idx` when one signaled; 0 on timeout and
 * -ERESTARTSYS when interrupted with time left, with `idx` -1.
 */
function* sleepForAny(t: Task, fences: readonly Fence[], w: number, intr: boolean, timeout: number): KGen<WaitAny> {
  const deadline = timeout_deadline(t, timeout);
  let ret = timeout;
  while (ret > 0) {
    const bell = priv_load(t, w);
    const idx = fences.findIndex((f) => dma_fence_test_signaled_flag(t, f));
    if (idx >= 0) return { ret, idx };
    yield* sleep_on_word(t, privIndex(t, w), bell, WS_DMA_FENCE_WAIT_ANY_TIMEOUT, deadline, intr);
    ret = timeout_left(t, deadline, timeout);
    if (ret > 0 && intr && t.signalPending()) ret = -ERESTARTSYS;
  }
  return { ret, idx: -1 };
}

/** The kernel's `while (i-- > 0) dma_fence_remove_callback(...)`: remove the callbacks of the
 *  first `n` fences, those armed — not the one whose add_callback failed (signaled: never armed,
 *  its lock not taken). Process context; takes each fence's lock in turn. */
function disarm(t: Task, fences: readonly Fence[], w: number, n: number): void {
  for (let i = n - 1; i >= 0; i--) dma_fence_remove_callback(t, fences[i]!, priv_load(t, w + 1 + i) as FenceCb);
}

/** The kernel's kfree(cb): free all `n` nodes allocated, armed or not. A node still pending (a
 *  callback left armed) is reported by dma_fence_cb_free (FENCE_CB_FREE_PENDING), as KASAN would
 *  report the fence's next signal walking the freed array. */
function freeNodes(t: Task, w: number, n: number): void {
  for (let i = 0; i < n; i++) dma_fence_cb_free(t, priv_load(t, w + 1 + i) as FenceCb);
}
