/**
 * S16 (buggy): two submitters lock two buffers' reservation locks in opposite orders without an
 * acquire context — plain mutexes, so the ABBA interleaving deadlocks. Expected: deadlock.
 */
import { defineScenario } from '../src/exec/scenario.js';
import { dma_resv_init, dma_resv_lock, dma_resv_unlock, type KGen, type Resv, type Task } from '../src/kernel/index.js';

interface Env { readonly a: Resv; readonly b: Resv }

function* lockNoCtx(t: Task, first: Resv, second: Resv): KGen<void> {
  yield* dma_resv_lock(t, first, null);
  yield* dma_resv_lock(t, second, null);
  dma_resv_unlock(t, second);
  dma_resv_unlock(t, first);
}

export const abbaNoCtx = defineScenario({
  name: 'abba-no-ctx', module: import.meta.url, params: {}, expect: 'deadlock',
  setup: (t): Env => ({ a: dma_resv_init(t), b: dma_resv_init(t) }),
  actors: () => [
    { name: 'T1', run: (t: Task, e: Env) => lockNoCtx(t, e.a, e.b) },
    { name: 'T2', run: (t: Task, e: Env) => lockNoCtx(t, e.b, e.a) },
  ],
});
