// dma_resv_get_singleton (drivers/dma-buf/dma-resv.c): no unsignaled fence -> NULL, one -> that
// fence with a reference, more -> a new dma_fence_array of them. The kernel's -ENOMEM for an
// array that cannot be allocated has no stand-in: an arena too small throws the harness's
// geometry error instead.
import { describe, expect, it } from 'vitest';
import {
  DMA_RESV_USAGE_READ, DMA_RESV_USAGE_WRITE, NULL_FENCE, dma_fence_array_first, dma_fence_array_next,
  dma_fence_context_alloc, dma_fence_init, dma_fence_is_array, dma_fence_put, dma_fence_refcount, dma_fence_signal,
  dma_resv_add_fence, dma_resv_get_singleton, dma_resv_init, dma_resv_lock, dma_resv_reserve_fences, dma_resv_unlock,
  type Fence, type Resv, type Task,
} from '../../fixtures/kernel.js';
import { drive, fenceTask, findingCodes } from '../../support/fence_task.js';


/** A resv holding `n` new unsignaled fences (its references only) with WRITE usage. */
function resvOf(t: Task, n: number): { r: Resv; fences: Fence[] } {
  const r = dma_resv_init(t);
  const ctx = dma_fence_context_alloc(t, n);
  const fences = Array.from({ length: n }, (_, i) => dma_fence_init(t, ctx + i, 1));
  drive(dma_resv_lock(t, r, null));
  expect(dma_resv_reserve_fences(t, r, n)).toBe(0);
  fences.forEach((f) => { dma_resv_add_fence(t, r, f, DMA_RESV_USAGE_WRITE); dma_fence_put(t, f); });
  dma_resv_unlock(t, r);
  return { r, fences };
}

describe('dma_resv_get_singleton', () => {
  it('is NULL for no unsignaled fence and the fence itself, referenced, for one', () => {
    const t = fenceTask();
    const { r, fences } = resvOf(t, 2);
    dma_fence_signal(t, fences[0]!);
    const out = { f: 123 as Fence };
    expect(dma_resv_get_singleton(t, r, DMA_RESV_USAGE_READ, out)).toBe(0);
    expect([out.f, dma_fence_refcount(t, fences[1]!)]).toEqual([fences[1], 2]);
    dma_fence_signal(t, fences[1]!);
    expect(dma_resv_get_singleton(t, r, DMA_RESV_USAGE_READ, out)).toBe(0);
    expect(out.f).toBe(NULL_FENCE);
  });

  it('is a new array of the fences for several', () => {
    const t = fenceTask();
    const { r, fences } = resvOf(t, 3);
    const out = { f: NULL_FENCE };
    expect(dma_resv_get_singleton(t, r, DMA_RESV_USAGE_WRITE, out)).toBe(0);
    expect(dma_fence_is_array(t, out.f)).toBe(true);
    expect([0, 1, 2].map((i) => (i === 0 ? dma_fence_array_first(t, out.f) : dma_fence_array_next(t, out.f, i)))).toEqual(fences);
    expect(findingCodes(t)).toEqual([]);
  });

  it('throws ERR_ARENA_GEOMETRY when the array\'s callback nodes do not fit (a harness limit, not -ENOMEM)', () => {
    const t = fenceTask({ callbacks: 2 });
    const { r } = resvOf(t, 3);
    expect(() => dma_resv_get_singleton(t, r, DMA_RESV_USAGE_WRITE, { f: NULL_FENCE }))
      .toThrow(expect.objectContaining({ code: 'ERR_ARENA_GEOMETRY' }));
  });
});
