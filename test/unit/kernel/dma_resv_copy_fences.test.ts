// dma_resv_copy_fences (kernel-semantics §1.9; dma-resv.c): dst's fences become src's unsignaled
// ones with their usages (BOOKKEEP included), each referenced, and dst's old fences are put; dst's
// lock must be held (RESV_NOT_HELD otherwise, and the copy goes on); a src without unsignaled
// fences leaves dst with none, and a later reserve + add works as on a new object.
import { describe, expect, it } from 'vitest';
import {
  DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_KERNEL, DMA_RESV_USAGE_READ, DMA_RESV_USAGE_WRITE, dma_fence_context_alloc,
  dma_fence_init, dma_fence_refcount, dma_fence_signal, dma_resv_add_fence, dma_resv_copy_fences, dma_resv_fini,
  dma_resv_init, dma_resv_lock, dma_resv_reserve_fences, dma_resv_unlock, type DmaResvUsage,
  type Fence, type Resv, type Task,
} from '../../fixtures/kernel.js';
import { drive, fenceTask, findingCodes, resvSlots } from '../../support/fence_task.js';
import { resv_list } from '../../../src/kernel/dma_resv_list.js';

/** A new object holding a fresh fence per usage of `usages` (each on its own context). */
function filled(t: Task, usages: DmaResvUsage[]): { r: Resv; fences: Fence[] } {
  const r = dma_resv_init(t);
  const ctx = dma_fence_context_alloc(t, Math.max(1, usages.length));
  const fences = usages.map((_, i) => dma_fence_init(t, ctx + i, 1));
  drive(dma_resv_lock(t, r, null));
  expect(dma_resv_reserve_fences(t, r, Math.max(1, usages.length))).toBe(0);
  usages.forEach((u, i) => dma_resv_add_fence(t, r, fences[i]!, u));
  dma_resv_unlock(t, r);
  return { r, fences };
}

/** dma_resv_copy_fences(dst, src) under dst's lock. */
function copyLocked(t: Task, dst: Resv, src: Resv): number {
  drive(dma_resv_lock(t, dst, null));
  const ret = dma_resv_copy_fences(t, dst, src);
  dma_resv_unlock(t, dst);
  return ret;
}

describe('dma_resv_copy_fences', () => {
  it('gives dst the room of a list sized for src\'s num_fences: a reserve within it keeps the list', () => {
    const t = fenceTask();
    const src = filled(t, Array<DmaResvUsage>(6).fill(DMA_RESV_USAGE_READ));
    src.fences.slice(0, 2).forEach((f) => dma_fence_signal(t, f));
    const dst = filled(t, [DMA_RESV_USAGE_WRITE]);
    drive(dma_resv_lock(t, dst.r, null));
    expect(dma_resv_copy_fences(t, dst.r, src.r)).toBe(0);
    const list = resv_list(t, t.arena.resv(dst.r));
    // dma_resv_list_alloc(6) has room for 9: the 4 copied and 5 more.
    expect(dma_resv_reserve_fences(t, dst.r, 5)).toBe(0);
    expect(resv_list(t, t.arena.resv(dst.r))).toBe(list);
    dma_resv_unlock(t, dst.r);
    expect(resvSlots(t, dst.r).map(([f]) => f)).toEqual(src.fences.slice(2));
    expect(findingCodes(t)).toEqual([]);
  });

  it('replaces dst\'s fences by src\'s unsignaled ones, usages kept, each referenced; dst\'s old ones are put', () => {
    const t = fenceTask();
    const src = filled(t, [DMA_RESV_USAGE_KERNEL, DMA_RESV_USAGE_WRITE, DMA_RESV_USAGE_READ, DMA_RESV_USAGE_BOOKKEEP]);
    const [k, w, rd, b] = src.fences as [Fence, Fence, Fence, Fence];
    dma_fence_signal(t, w);
    const dst = filled(t, [DMA_RESV_USAGE_WRITE]);
    const old = dst.fences[0]!;
    expect(dma_fence_refcount(t, old)).toBe(2);
    expect(copyLocked(t, dst.r, src.r)).toBe(0);
    expect(resvSlots(t, dst.r)).toEqual([[k, DMA_RESV_USAGE_KERNEL], [rd, DMA_RESV_USAGE_READ], [b, DMA_RESV_USAGE_BOOKKEEP]]);
    expect([k, w, rd, b, old].map((f) => dma_fence_refcount(t, f))).toEqual([3, 2, 3, 3, 1]);
    expect(resvSlots(t, src.r).length).toBe(4);
    expect(findingCodes(t)).toEqual([]);
  });

  it('from a src with no unsignaled fence leaves dst with none; a later reserve and add work', () => {
    const t = fenceTask();
    const src = filled(t, [DMA_RESV_USAGE_WRITE]);
    dma_fence_signal(t, src.fences[0]!);
    const dst = filled(t, [DMA_RESV_USAGE_READ]);
    expect(copyLocked(t, dst.r, src.r)).toBe(0);
    expect(resvSlots(t, dst.r)).toEqual([]);
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1);
    drive(dma_resv_lock(t, dst.r, null));
    expect(dma_resv_reserve_fences(t, dst.r, 1)).toBe(0);
    dma_resv_add_fence(t, dst.r, f, DMA_RESV_USAGE_WRITE);
    dma_resv_unlock(t, dst.r);
    expect(resvSlots(t, dst.r)).toEqual([[f, DMA_RESV_USAGE_WRITE]]);
    expect(findingCodes(t)).toEqual([]);
  });

  it('without dst\'s lock held WARNs RESV_NOT_HELD and copies all the same', () => {
    const t = fenceTask();
    const src = filled(t, [DMA_RESV_USAGE_WRITE]);
    const dst = filled(t, []);
    expect(dma_resv_copy_fences(t, dst.r, src.r)).toBe(0);
    expect(findingCodes(t)).toEqual(['RESV_NOT_HELD']);
    expect(resvSlots(t, dst.r)).toEqual([[src.fences[0], DMA_RESV_USAGE_WRITE]]);
  });

  it('from a finished src is reported (RESV_USE_AFTER_FINI) and copies nothing', () => {
    const t = fenceTask();
    const src = filled(t, [DMA_RESV_USAGE_WRITE]);
    dma_resv_fini(t, src.r);
    const dst = filled(t, [DMA_RESV_USAGE_READ]);
    expect(copyLocked(t, dst.r, src.r)).toBe(0);
    expect(findingCodes(t)).toEqual(['RESV_USE_AFTER_FINI']);
    expect(resvSlots(t, dst.r)).toEqual([[dst.fences[0], DMA_RESV_USAGE_READ]]);
  });
});
