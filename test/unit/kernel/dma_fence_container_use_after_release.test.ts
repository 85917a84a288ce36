// A read through a fence container after its release gave its private words back (kfree_words) is
// KASAN's slab-use-after-free (PRIV_USE_AFTER_FREE), titled after the function that read: a chain
// node's fence (dma_fence_chain_contained), an array's count (dma_fence_array_num_fences), and the
// direct accesses: a node's prev (dma_fence_chain_get_prev), an array's num_pending (read in
// dma_fence_array_signaled; decremented in the callback dma_fence_array_cb_func, the write dropped so
// the allocator's words stay intact) and an array's fence (its inlined helper, named after the
// caller). (The fence calls that check the row first — dma_fence_is_signaled — report
// FENCE_USE_AFTER_FREE.)
import { describe, expect, it } from 'vitest';
import {
  NULL_FENCE, dma_fence_array_create, dma_fence_array_next, dma_fence_array_num_fences, dma_fence_chain_contained,
  dma_fence_chain_init, dma_fence_chain_walk, dma_fence_context_alloc, dma_fence_enable_sw_signaling, dma_fence_get, dma_fence_init,
  dma_fence_put, dma_fence_signal, dma_fence_array_first, GFP_KERNEL, kfree_words, kzalloc_words, privIndex, type Fence, type Task,
} from '../../fixtures/kernel.js';
import { container_ops } from '../../../src/kernel/dma_fence_ops.js';
import { F_PRIV } from '../../../src/shm/layout.js';
import { fenceTask, findingCodes, taskFindingTitles } from '../../support/fence_task.js';

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
    expect(taskFindingTitles(t)).toEqual(['PRIV_USE_AFTER_FREE: use-after-free in dma_fence_chain_contained (slab-use-after-free)']);
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
    expect(taskFindingTitles(t)).toEqual(['PRIV_USE_AFTER_FREE: use-after-free in dma_fence_array_num_fences (slab-use-after-free)']);
  });
});

describe('a fence container\'s direct accesses after its release', () => {
  it('a chain node walked: PRIV_USE_AFTER_FREE in dma_fence_chain_get_prev', () => {
    const t = fenceTask();
    const [f] = fences(t, 1);
    const chain = dma_fence_chain_init(t, NULL_FENCE, f!, 1);
    dma_fence_put(t, chain);
    dma_fence_chain_walk(t, chain);
    expect(taskFindingTitles(t)).toContain('PRIV_USE_AFTER_FREE: use-after-free in dma_fence_chain_get_prev (slab-use-after-free)');
  });

  it('an array asked whether it signalled: PRIV_USE_AFTER_FREE in dma_fence_array_signaled', () => {
    const t = fenceTask();
    const array = dma_fence_array_create(t, 2, fences(t, 2), dma_fence_context_alloc(t, 1), 1, false);
    dma_fence_put(t, array);
    container_ops(t, array)!.signaled(t, array);
    expect(taskFindingTitles(t)).toContain('PRIV_USE_AFTER_FREE: use-after-free in dma_fence_array_signaled (slab-use-after-free)');
  });

  it('an array whose armed callback runs after a surplus put released it: PRIV_USE_AFTER_FREE in dma_fence_array_cb_func, num_pending\'s decrement dropped', () => {
    const t = fenceTask();
    const fs = fences(t, 2);
    for (const f of fs) dma_fence_get(t, f);
    const array = dma_fence_array_create(t, 2, fs, dma_fence_context_alloc(t, 1), 1, false);
    const w = t.i32[t.arena.fence(array) + F_PRIV]!;
    dma_fence_enable_sw_signaling(t, array);
    for (let i = 0; i < 3; i++) dma_fence_put(t, array); // one put too many: each armed callback's reference
    const before = Array.from(t.i32.subarray(privIndex(t, w), privIndex(t, w) + 6));
    dma_fence_signal(t, fs[0]!);
    expect(taskFindingTitles(t)).toContain('PRIV_USE_AFTER_FREE: use-after-free in dma_fence_array_cb_func (slab-use-after-free)');
    expect(Array.from(t.i32.subarray(privIndex(t, w), privIndex(t, w) + 6))).toEqual(before);
  });

  it('an array\'s fence read (an inlined helper): PRIV_USE_AFTER_FREE in dma_fence_array_first', () => {
    const t = fenceTask();
    kfree_words(t, kzalloc_words(t, 2, GFP_KERNEL, 'test_alloc'), 2, 'test_free'); // the array's freed count word then links to it: non-zero
    const array = dma_fence_array_create(t, 2, fences(t, 2), dma_fence_context_alloc(t, 1), 1, false);
    dma_fence_put(t, array);
    dma_fence_array_first(t, array);
    expect(taskFindingTitles(t)).toEqual([
      'PRIV_USE_AFTER_FREE: use-after-free in dma_fence_array_num_fences (slab-use-after-free)',
      'PRIV_USE_AFTER_FREE: use-after-free in dma_fence_array_first (slab-use-after-free)',
    ]);
  });
});
