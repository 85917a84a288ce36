// A read through a fence container after its release gave its private words back (kfree_words) is
// KASAN's slab-use-after-free (PRIV_USE_AFTER_FREE), titled after the function that read: a chain
// node's fence (dma_fence_chain_contained), an array's count (dma_fence_array_num_fences). (The
// fence calls that check the row first — dma_fence_is_signaled — report FENCE_USE_AFTER_FREE.)
import { describe, expect, it } from 'vitest';
import {
  NULL_FENCE, dma_fence_array_create, dma_fence_array_next, dma_fence_array_num_fences, dma_fence_chain_contained,
  dma_fence_chain_init, dma_fence_context_alloc, dma_fence_get, dma_fence_init, dma_fence_put, type Fence, type Task,
} from '../../fixtures/kernel.js';
import { fenceTask, findingCodes } from '../../support/fence_task.js';
import { findingTitles } from '../../support/finding_titles.js';

function fences(t: Task, n: number): Fence[] {
  const ctx = dma_fence_context_alloc(t, 1);
  return Array.from({ length: n }, (_, i) => dma_fence_init(t, ctx, i + 1));
}

describe('a fence container read after its release', () => {
  it('a chain node: PRIV_USE_AFTER_FREE in dma_fence_chain_contained', () => {
    const t = fenceTask();
    const [f] = fences(t, 1);
    const chain = dma_fence_chain_init(t, NULL_FENCE, f!, 1);
    expect(dma_fence_chain_contained(t, chain)).toBe(f);
    dma_fence_put(t, chain);
    dma_fence_chain_contained(t, chain);
    expect(findingTitles(t)).toEqual(['PRIV_USE_AFTER_FREE: use-after-free in dma_fence_chain_contained (slab-use-after-free)']);
  });

  it('an array: PRIV_USE_AFTER_FREE in dma_fence_array_num_fences', () => {
    const t = fenceTask();
    const fs = fences(t, 2);
    for (const f of fs) dma_fence_get(t, f);
    const array = dma_fence_array_create(t, 2, fs, dma_fence_context_alloc(t, 1), 1, false);
    expect(dma_fence_array_next(t, array, 1)).toBe(fs[1]);
    dma_fence_put(t, array);
    expect(findingCodes(t)).toEqual([]);
    dma_fence_array_num_fences(t, array);
    expect(findingTitles(t)).toEqual(['PRIV_USE_AFTER_FREE: use-after-free in dma_fence_array_num_fences (slab-use-after-free)']);
  });
});
