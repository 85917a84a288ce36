import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { C_NFINDINGS, R_GEN } from '../../../src/shm/layout.js';
import { kernelBoot } from '../../../src/kernel/boot.js';
import { Task } from '../../../src/kernel/task.js';
import { KernelOops } from '../../../src/kernel/warn.js';
import {
  DMA_RESV_USAGE_BOOKKEEP, dma_fence_context_alloc, dma_fence_get_rcu, dma_fence_init, dma_fence_put,
  dma_resv_get_fences, dma_resv_init, dma_resv_test_signaled,
} from '../../../src/kernel/index.js';

function boot(): Task {
  const a = Arena.create();
  a.resetTrial({ actors: 1, mode: 0, stepLimit: 100, waitPolicy: 0, replayLen: 0 });
  const t = new Task(a, 0, 'reader');
  kernelBoot(t);
  return t;
}

describe('lockless dma_resv readers', () => {
  it('skip a fence whose last reference is gone without reporting a use-after-free', () => {
    const t = boot();
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1);
    dma_fence_put(t, f);
    expect(dma_fence_get_rcu(t, f)).toBe(false);
    expect(t.arena.ctl(C_NFINDINGS)).toBe(0);
  });

  it('return the fences of a stable list', () => {
    const t = boot();
    const r = dma_resv_init(t);
    expect(dma_resv_get_fences(t, r, DMA_RESV_USAGE_BOOKKEEP)).toEqual([]);
    expect(dma_resv_test_signaled(t, r, DMA_RESV_USAGE_BOOKKEEP)).toBe(true);
  });

  it('treat a writer that never finishes (odd generation) as a BUG, not a hang', () => {
    const t = boot();
    const r = dma_resv_init(t);
    Atomics.add(t.i32, t.arena.resv(r) + R_GEN, 1);
    expect(() => dma_resv_test_signaled(t, r, DMA_RESV_USAGE_BOOKKEEP)).toThrow(KernelOops);
  });
});
