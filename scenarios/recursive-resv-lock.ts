/**
 * S17 (buggy): a driver calls an `_unlocked`-style helper that takes the reservation lock without
 * a context while it already holds it — a self-deadlock. Expected: deadlock (a cycle of one).
 */
import { defineScenario } from '../src/exec/scenario.js';
import { dma_resv_init, dma_resv_lock, dma_resv_unlock, type KGen, type Resv, type Task } from '../src/kernel/index.js';

interface Env { readonly r: Resv }

/** The helper the driver thinks is safe to call: it locks the resv itself. */
function* helperUnlocked(t: Task, r: Resv): KGen<void> {
  yield* dma_resv_lock(t, r, null);
  dma_resv_unlock(t, r);
}

export const recursiveResvLock = defineScenario({
  name: 'recursive-resv-lock', module: import.meta.url, params: {}, expect: 'deadlock',
  setup: (t): Env => ({ r: dma_resv_init(t) }),
  actors: () => [{
    name: 'driver',
    run: function* (t: Task, e: Env): KGen<void> {
      yield* dma_resv_lock(t, e.r, null);
      yield* helperUnlocked(t, e.r);
      dma_resv_unlock(t, e.r);
    },
  }, {
    name: 'other',
    run: function* (t: Task, e: Env): KGen<void> {
      yield* dma_resv_lock(t, e.r, null);
      dma_resv_unlock(t, e.r);
    },
  }],
});
