/**
 * S19 fixed twin: the completion worker signals the job fence in its signalling section without
 * any lock, and takes the reservation lock for its bookkeeping only after the section ended. The
 * submitter still waits under the resv lock (allowed). Expected: clean.
 */
import { defineScenario } from '../src/exec/scenario.js';
import {
  cond_resched, dma_fence_begin_signalling, dma_fence_end_signalling, dma_fence_signal, dma_resv_lock,
  dma_resv_unlock, type KGen, type Task,
} from '../src/kernel/index.js';
import { W_COMPLETED, signallingSetup, submitAndWait, type SignallingEnv } from './wait-in-signalling.js';

/** Completion worker: signal inside the section, bookkeeping under the lock after it. */
function* signalThenLock(t: Task, e: SignallingEnv): KGen<void> {
  yield* cond_resched(t, 1);
  const cookie = dma_fence_begin_signalling(t);
  dma_fence_signal(t, e.job);
  dma_fence_end_signalling(t, cookie);
  yield* dma_resv_lock(t, e.resv, null);
  t.add(W_COMPLETED);
  dma_resv_unlock(t, e.resv);
}

export const signalOutsideLock = defineScenario({
  name: 'signal-outside-lock', module: import.meta.url, params: {}, expect: 'clean',
  description: 'fence signalled before the completion path takes the resv lock',
  setup: signallingSetup,
  actors: () => [
    { name: 'submitter', run: submitAndWait },
    { name: 'completion', run: signalThenLock },
  ],
});
