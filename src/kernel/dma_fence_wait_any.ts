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
import { FENCEF_SIGNALED, F_FLAGS, WAITF_INTR, WAITF_TIMED, WAITK_WORD, packOp } from '../shm/layout.js';
import { OP_FENCE_WAIT, OP_WAIT_EVENT } from '../trace/ops.js';
import { dma_fence_add_callback, dma_fence_cb_alloc, dma_fence_cb_free, dma_fence_remove_callback } from './dma_fence_cb.js';
import { KCB_DEFAULT_WAIT } from './dma_fence_ops.js';
import { dma_fence_is_signaled } from './dma_fence_signal.js';
import { GFP_KERNEL } from './gfp.js';
import { kfree_words, kzalloc_words, privIndex, priv_load, priv_store } from './priv.js';
import type { Task } from './task.js';
import { MAX_SCHEDULE_TIMEOUT, type Fence, type FenceCb, type KGen } from './types.js';
import { block, unblock } from './wait.js';
import { WS_DMA_FENCE_WAIT_ANY_TIMEOUT } from './wait_site.js';

/** What dma_fence_wait_any_timeout returns: `ret`, and `idx` (the kernel's `*idx`), -1 when not set. */
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
  const w = kzalloc_words(t, fences.length + 1, GFP_KERNEL);
  yield packOp(OP_FENCE_WAIT, fences[0]!);
  let idx = -1;
  let armed = 0;
  for (; armed < fences.length; armed++) {
    const cb = dma_fence_cb_alloc(t, w);
    priv_store(t, w + 1 + armed, cb);
    if (dma_fence_add_callback(t, fences[armed]!, cb, KCB_DEFAULT_WAIT) !== 0) { idx = armed; break; }
  }
  const ret = idx >= 0 ? timeout : yield* sleepForAny(t, fences, w, intr, timeout, (i) => { idx = i; });
  disarm(t, fences, w, Math.min(armed + 1, fences.length));
  kfree_words(t, w, fences.length + 1);
  return { ret, idx };
}

/**
 * The kernel's `while (ret > 0)` loop: test the fences' SIGNALED flags (dma_fence_test_signaled_any,
 * reporting the first through `found`), else sleep on doorbell `w` until it rings, the deadline
 * passes or — `intr` — a signal is pending. Returns the jiffies left (> 0) when one signaled, 0 on
 * timeout, -ERESTARTSYS when interrupted with time left.
 */
function* sleepForAny(t: Task, fences: readonly Fence[], w: number, intr: boolean, timeout: number, found: (i: number) => void): KGen<number> {
  const timed = timeout !== MAX_SCHEDULE_TIMEOUT;
  const deadline = timed ? Math.min(t.now() + timeout, MAX_SCHEDULE_TIMEOUT - 1) : 0;
  let ret = timeout;
  while (ret > 0) {
    const bell = priv_load(t, w);
    const i = fences.findIndex((f) => (Atomics.load(t.i32, t.arena.fence(f) + F_FLAGS) & FENCEF_SIGNALED) !== 0);
    if (i >= 0) { found(i); break; }
    if (!(intr && t.signalPending())) yield* sleepOnBell(t, w, bell, intr, deadline);
    ret = timed ? Math.max(0, deadline - t.now()) : timeout;
    if (ret > 0 && intr && t.signalPending()) ret = -ERESTARTSYS;
  }
  return ret;
}

/** schedule_timeout in the wait: sleep until doorbell `w` is no longer `bell`, the deadline (0:
 *  none) passes, or — `intr` — a signal is pending. */
function* sleepOnBell(t: Task, w: number, bell: number, intr: boolean, deadline: number): KGen<void> {
  const i = privIndex(t, w);
  block(t, WAITK_WORD, i, (deadline !== 0 ? WAITF_TIMED : 0) | (intr ? WAITF_INTR : 0), deadline, bell, WS_DMA_FENCE_WAIT_ANY_TIMEOUT);
  do {
    yield packOp(OP_WAIT_EVENT, i & 0xffffff);
  } while (Atomics.load(t.i32, i) === bell && !(intr && t.signalPending()) && (deadline === 0 || t.now() < deadline));
  unblock(t);
}

/** Remove the callbacks of the first `n` fences (those armed, or tried) and free their nodes. */
function disarm(t: Task, fences: readonly Fence[], w: number, n: number): void {
  for (let i = n - 1; i >= 0; i--) {
    const cb = priv_load(t, w + 1 + i) as FenceCb;
    dma_fence_remove_callback(t, fences[i]!, cb);
    dma_fence_cb_free(t, cb);
  }
}
