// A fence container's private words are recorded as allocated where the kernel allocates them
// (KASAN's "Allocated by … in"): a chain node in dma_fence_chain_alloc (the kernel's caller
// allocates it before dma_fence_chain_init), an array in dma_fence_array_alloc (called by
// dma_fence_array_create) — and freed in their release functions.
import { describe, expect, it } from 'vitest';
import { collectResult } from '../../../src/exec/collect_result.js';
import {
  NULL_FENCE, dma_fence_array_create, dma_fence_array_num_fences, dma_fence_chain_contained, dma_fence_chain_init,
  dma_fence_context_alloc, dma_fence_init, dma_fence_put, type Fence, type Task,
} from '../../fixtures/kernel.js';
import { fenceTask } from '../../support/fence_task.js';

function fences(t: Task, n: number): Fence[] {
  const ctx = dma_fence_context_alloc(t, 1);
  return Array.from({ length: n }, (_, i) => dma_fence_init(t, ctx, i + 1));
}

/** The block records of `t`'s PRIV_USE_AFTER_FREE findings. */
function slabs(t: Task): unknown[] {
  return collectResult(t.arena, 0, { actorNames: ['T'], leakCheck: false }).findings
    .filter((f) => f.code === 'PRIV_USE_AFTER_FREE').map((f) => f.slab);
}

describe('a fence container\'s block record', () => {
  it('a chain node: allocated in dma_fence_chain_alloc, freed in dma_fence_chain_release', () => {
    const t = fenceTask();
    const chain = dma_fence_chain_init(t, NULL_FENCE, fences(t, 1)[0]!, 1);
    dma_fence_put(t, chain);
    dma_fence_chain_contained(t, chain);
    expect(slabs(t)).toEqual([{ allocBy: 0, allocFn: 'dma_fence_chain_alloc', freeBy: 0, freeFn: 'dma_fence_chain_release' }]);
  });

  it('an array: allocated in dma_fence_array_alloc, freed in dma_fence_array_release', () => {
    const t = fenceTask();
    const array = dma_fence_array_create(t, 2, fences(t, 2), dma_fence_context_alloc(t, 1), 1, false);
    dma_fence_put(t, array);
    dma_fence_array_num_fences(t, array);
    expect(slabs(t)).toEqual([{ allocBy: 0, allocFn: 'dma_fence_array_alloc', freeBy: 0, freeFn: 'dma_fence_array_release' }]);
  });
});
