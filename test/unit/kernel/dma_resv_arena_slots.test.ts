// dma_resv_add_fence within max_fences (the kernel's rounded list capacity) but past the arena's
// geometry.resvSlots: the kernel's list has the room, the model's record has not — a harness
// capacity error (ERR_ARENA_GEOMETRY: raise the geometry), never a fence-slot finding.
import { describe, expect, it } from 'vitest';
import {
  DMA_RESV_USAGE_WRITE, dma_fence_context_alloc, dma_fence_init, dma_resv_add_fence, dma_resv_init, dma_resv_lock,
  dma_resv_reserve_fences,
} from '../../../src/kernel/index.js';
import type { Task } from '../../../src/kernel/task.js';
import { C_NFINDINGS } from '../../../src/shm/layout.js';
import type { Resv } from '../../../src/kernel/types.js';
import { bootTask as task } from './module/support.js';

/** A locked reservation object of a fresh boot task (the uncontended lock never blocks). */
function lockedResv(t: Task): Resv {
  const r = dma_resv_init(t);
  const lock = dma_resv_lock(t, r, null);
  while (lock.next().done !== true);
  return r;
}

/** The error code one more WRITE add of a fresh fence throws, or 'none'. */
function addFailure(t: Task, r: Resv): string {
  try { dma_resv_add_fence(t, r, dma_fence_init(t, dma_fence_context_alloc(t, 1), 1), DMA_RESV_USAGE_WRITE); } catch (e) {
    return (e as { code: string }).code;
  }
  return 'none';
}

describe('dma_resv fence slots of the arena', () => {
  it('a reserve of all 16 slots gets max_fences 21; the 17th add throws ERR_ARENA_GEOMETRY and records no finding', () => {
    const t = task();
    expect(t.arena.geometry.resvSlots).toBe(16);
    const r = lockedResv(t);
    expect(dma_resv_reserve_fences(t, r, 16)).toBe(0);
    for (let i = 0; i < 16; i++) expect(addFailure(t, r)).toBe('none');
    expect(addFailure(t, r)).toBe('ERR_ARENA_GEOMETRY');
    expect(t.i32[t.ctl + C_NFINDINGS]).toBe(0);
  });
});
