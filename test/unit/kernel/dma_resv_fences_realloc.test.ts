// dma_resv_get_fences' restart rule (drivers/dma-buf/dma-resv.c: krealloc_array of count fence
// pointers; mm/slab_common.c __do_krealloc returns the old object when ksize fits the new size):
// fencesRealloc allocates (might_alloc: under a spinlock SLEEP_IN_ATOMIC titled after might_alloc)
// only for no object yet or one the count outgrows, and returns the object's kmalloc size class.
import { describe, expect, it } from 'vitest';
import { spin_lock, spin_unlock } from '../../fixtures/kernel.js';
import { spinlockAlloc } from '../../fixtures/spinlock.js';
import { fencesRealloc } from '../../../src/kernel/dma_resv_query.js';
import { fenceTask, taskFindingTitles } from '../../support/fence_task.js';

const SLEEP_IN_ALLOC = 'SLEEP_IN_ATOMIC: assertion in might_alloc (sleeping function called from invalid context)';

/** fencesRealloc(size, count) under a spinlock: [the object size it returns, the findings]. */
function reallocUnderLock(size: number, count: number): [number, string[]] {
  const t = fenceTask();
  const l = spinlockAlloc(t, 'fences_realloc_L');
  spin_lock(t, l);
  const got = fencesRealloc(t, size, count);
  spin_unlock(t, l);
  return [got, taskFindingTitles(t)];
}

describe('fencesRealloc: krealloc_array of the fence pointers, allocating only when it must', () => {
  it('no object yet (NULL): allocates, and returns 8 · count rounded up to its kmalloc class', () => {
    expect([reallocUnderLock(0, 3), reallocUnderLock(0, 5)]).toEqual([[32, [SLEEP_IN_ALLOC]], [64, [SLEEP_IN_ALLOC]]]);
  });

  it('a 32-byte object and 4 fences (32 bytes): the object fits, no allocation', () => {
    expect(reallocUnderLock(32, 4)).toEqual([32, []]);
  });

  it('a 32-byte object and 5 fences (40 bytes): outgrown, allocates the 64-byte class', () => {
    expect(reallocUnderLock(32, 5)).toEqual([64, [SLEEP_IN_ALLOC]]);
  });

  it('past 64 bytes the 96 and 192 classes: 9 fences take 96, 17 take 192', () => {
    expect([reallocUnderLock(64, 9)[0], reallocUnderLock(96, 17)[0], reallocUnderLock(96, 12)]).toEqual([96, 192, [96, []]]);
  });
});
