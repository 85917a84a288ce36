/**
 * S19 (buggy): a fence signalling path takes a reservation lock (reference §3.6, §6 S19).
 *
 * The submitter publishes its job fence in a buffer's reservation object and, still holding the
 * resv lock, waits for the job (allowed: drivers may wait on fences under resv locks). The job's
 * completion worker is the code that signals the fence; it runs in a fence signalling section and
 * takes the same resv lock there for its bookkeeping — forbidden by the fence contract. Some
 * interleavings deadlock (the submitter waits for the fence, the worker waits for the lock); all
 * of them show lockdep the order dma_fence_map → reservation_ww_class_mutex, the inverse of the
 * primed reservation_ww_class_mutex → dma_fence_map. Expected: circular-locking on first sight.
 */
import { defineScenario } from '../src/exec/scenario.js';
import {
  DMA_RESV_USAGE_KERNEL, cond_resched, dma_fence_begin_signalling, dma_fence_context_alloc,
  dma_fence_end_signalling, dma_fence_init, dma_fence_signal, dma_fence_wait, dma_resv_add_fence,
  dma_resv_init, dma_resv_lock, dma_resv_reserve_fences, dma_resv_unlock, type Fence, type KGen,
  type Resv, type Task,
} from '../src/kernel/index.js';

export interface SignallingEnv { readonly resv: Resv; readonly job: Fence }

/** User word the completion worker bumps under the resv lock (its bookkeeping). */
export const W_COMPLETED = 0;

/** Setup shared with the fixed twin: one buffer, one job fence signaled by actor 1. */
export function signallingSetup(t: Task): SignallingEnv {
  return { resv: dma_resv_init(t), job: dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { signaler: 1 }) };
}

/** Publish the job fence in the buffer and wait for the job with the resv lock held. */
export function* submitAndWait(t: Task, e: SignallingEnv): KGen<void> {
  yield* dma_resv_lock(t, e.resv, null);
  if (dma_resv_reserve_fences(t, e.resv, 1) === 0) dma_resv_add_fence(t, e.resv, e.job, DMA_RESV_USAGE_KERNEL);
  yield* dma_fence_wait(t, e.job, false);
  dma_resv_unlock(t, e.resv);
}

/** Completion worker: the job runs, then the signalling path takes the resv lock (the bug). */
function* completeLocked(t: Task, e: SignallingEnv): KGen<void> {
  yield* cond_resched(t, 1);
  const cookie = dma_fence_begin_signalling(t);
  yield* dma_resv_lock(t, e.resv, null);
  t.add(W_COMPLETED);
  dma_resv_unlock(t, e.resv);
  dma_fence_signal(t, e.job);
  dma_fence_end_signalling(t, cookie);
}

export const waitInSignalling = defineScenario({
  name: 'wait-in-signalling', module: import.meta.url, params: {}, expect: 'circular-locking',
  description: 'fence signalling path takes the resv lock a fence waiter holds',
  setup: signallingSetup,
  actors: () => [
    { name: 'submitter', run: submitAndWait },
    { name: 'completion', run: completeLocked },
  ],
});
