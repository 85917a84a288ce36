/**
 * Reservation-object slot scenarios (S10, S11): a GPU scheduler publishing a job fence and a
 * userspace import (DMA_BUF_IOCTL_IMPORT_SYNC_FILE) adding a fence of the same context.
 */
import { defineScenario } from '../../src/exec/scenario.js';
import {
  DMA_RESV_USAGE_WRITE, cond_resched, dma_fence_context_alloc, dma_fence_init, dma_fence_signal, dma_fence_wait,
  dma_resv_add_fence, dma_resv_init, dma_resv_lock, dma_resv_reserve_fences, dma_resv_unlock,
  type Fence, type KGen, type Resv, type Task,
} from '../../src/kernel/index.js';

export interface SyncEnv { readonly r: Resv; readonly late: Fence; readonly early: Fence; readonly published: Fence }

/** S10: the scheduler publishes seqno 10; userspace imports seqno 5 of the same context. */
export function seqnoScenario(name: string, module: string, checked: boolean) {
  return defineScenario({
    name, module, expect: checked ? 'clean' : 'fence-order', params: { resvSeqnoCheck: checked },
    setup: (t): SyncEnv => {
      const ctx = dma_fence_context_alloc(t, 1);
      const pub = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { signaler: 0 });
      return { r: dma_resv_init(t), late: dma_fence_init(t, ctx, 10, { signaler: 0 }), early: dma_fence_init(t, ctx, 5, { signaler: 0 }), published: pub };
    },
    actors: () => [
      { name: 'gpu-sched', run: function* (t: Task, e: SyncEnv): KGen<void> {
        yield* addFence(t, e.r, e.late);
        dma_fence_signal(t, e.published);
        for (let i = 0; i < 3; i++) yield* cond_resched(t, i);
        dma_fence_signal(t, e.early);
        dma_fence_signal(t, e.late);
      } },
      { name: 'import-sync-file', run: function* (t: Task, e: SyncEnv): KGen<void> {
        yield* dma_fence_wait(t, e.published, false);
        yield* addFence(t, e.r, e.early);
      } },
    ],
  });
}

/** Lock, reserve one slot, add `f` with WRITE usage, unlock. */
function* addFence(t: Task, r: Resv, f: Fence): KGen<void> {
  yield* dma_resv_lock(t, r, null);
  if (dma_resv_reserve_fences(t, r, 1) === 0) dma_resv_add_fence(t, r, f, DMA_RESV_USAGE_WRITE);
  dma_resv_unlock(t, r);
}

/** S11: reserve, then add — in the same lock hold (fixed) or after dropping and retaking it. */
export function reserveScenario(name: string, module: string, sameHold: boolean) {
  return defineScenario({
    name, module, expect: sameHold ? 'clean' : 'fence-slot', params: {},
    setup: (t) => ({ r: dma_resv_init(t), f: dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { signaler: 0 }) }),
    actors: () => [{ name: 'driver', run: function* (t: Task, e: { r: Resv; f: Fence }): KGen<void> {
      yield* dma_resv_lock(t, e.r, null);
      dma_resv_reserve_fences(t, e.r, 1);
      if (!sameHold) {
        dma_resv_unlock(t, e.r);
        yield* dma_resv_lock(t, e.r, null);
      }
      dma_resv_add_fence(t, e.r, e.f, DMA_RESV_USAGE_WRITE);
      dma_resv_unlock(t, e.r);
      dma_fence_signal(t, e.f);
    } }],
  });
}
