/**
 * S17 (fixed twin): the driver calls the helper variant that expects the lock held, so the
 * reservation lock is taken once. Expected: clean.
 */
import { defineScenario } from '../src/exec/scenario.js';
import {
  dma_resv_assert_held, dma_resv_init, dma_resv_lock, dma_resv_unlock, type KGen, type Resv, type Task,
} from '../src/kernel/index.js';

interface Env { readonly r: Resv }

export const resvLockOnce = defineScenario({
  name: 'resv-lock-once', module: import.meta.url, params: {}, expect: 'clean',
  setup: (t): Env => ({ r: dma_resv_init(t) }),
  actors: () => [{
    name: 'driver',
    run: function* (t: Task, e: Env): KGen<void> {
      yield* dma_resv_lock(t, e.r, null);
      dma_resv_assert_held(t, e.r, 'helper_locked');
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
