// dma_resv_set_deadline (dma-resv.c): the hint reaches the unsignaled fences with usage <= the
// usage asked for (a READ query sees KERNEL, WRITE and READ fences, not BOOKKEEP), no lock needed.
import { describe, expect, it } from 'vitest';
import {
  DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_KERNEL, DMA_RESV_USAGE_READ, DMA_RESV_USAGE_WRITE, dma_fence_context_alloc,
  dma_fence_init, dma_fence_signal, dma_resv_add_fence, dma_resv_init, dma_resv_lock,
  dma_resv_reserve_fences, dma_resv_set_deadline, dma_resv_unlock,
} from '../../fixtures/kernel.js';
import { deadlineRecorder } from '../../support/deadline_ops.js';
import { drive, fenceTask, findingCodes } from '../../support/fence_task.js';

const { ops: OPS, hints } = deadlineRecorder('resv_deadline_test_ops');

describe('dma_resv_set_deadline', () => {
  it('hints the unsignaled fences with usage <= usage, without the lock', () => {
    const t = fenceTask();
    const r = dma_resv_init(t);
    const usages = [DMA_RESV_USAGE_KERNEL, DMA_RESV_USAGE_WRITE, DMA_RESV_USAGE_READ, DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_READ] as const;
    const ctx = dma_fence_context_alloc(t, usages.length);
    const fences = usages.map((_, i) => dma_fence_init(t, ctx + i, 1, { ops: OPS, signaler: -1 }));
    drive(dma_resv_lock(t, r, null));
    expect(dma_resv_reserve_fences(t, r, usages.length)).toBe(0);
    usages.forEach((u, i) => dma_resv_add_fence(t, r, fences[i]!, u));
    dma_resv_unlock(t, r);
    dma_fence_signal(t, fences[4]!);
    dma_resv_set_deadline(t, r, DMA_RESV_USAGE_READ, 99);
    expect(hints).toEqual([[fences[0], 99], [fences[1], 99], [fences[2], 99]]);
    expect(findingCodes(t)).toEqual([]);
  });
});
