// KASAN for the private words (src/kernel/priv_kasan.ts, priv.ts): kfree_words poisons a block —
// a read through it is PRIV_USE_AFTER_FREE titled after the reading function and returns the stale
// word, a write is reported and dropped — a second kfree_words of it is PRIV_DOUBLE_FREE titled
// after the freeing function and changes nothing, and a freed block stays out of reuse until the
// cursor has no room (quarantine), then comes back unpoisoned: no report on the reused block.
import { describe, expect, it } from 'vitest';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { kfree_words, kzalloc_words, priv_cmpxchg, priv_store, priv_sub } from '../../../src/kernel/priv.js';
import type { Task } from '../../../src/kernel/task.js';
import { fenceTask, findingCodes, taskFindingTitles, exhaustPriv } from '../../support/fence_task.js';
import { driver_read, driver_release } from '../../support/priv_sites.js';

/** Model-side accessors (the readers and the freer: test/support/priv_sites.ts): the functions a
 *  report is titled after. */
function driver_write(t: Task, w: number, v: number): void {
  priv_store(t, w, v);
}

function driver_cmpxchg(t: Task, w: number, expected: number, v: number): number {
  return priv_cmpxchg(t, w, expected, v);
}

function driver_sub(t: Task, w: number): number {
  return priv_sub(t, w, 1);
}


describe('KASAN on kzalloc_words blocks', () => {
  it('reports a read through a freed block after the reader (slab-use-after-free), and the read proceeds', () => {
    const t = fenceTask();
    const w = kzalloc_words(t, 4, GFP_KERNEL, 'test_alloc');
    priv_store(t, w + 3, 42);
    driver_release(t, w, 4);
    expect(findingCodes(t)).toEqual([]);
    expect(driver_read(t, w + 3)).toBe(42);
    expect(taskFindingTitles(t)).toEqual(['PRIV_USE_AFTER_FREE: use-after-free in driver_read (slab-use-after-free)']);
  });

  it('reports a write through a freed block after the writer and drops it', () => {
    const t = fenceTask();
    const w = kzalloc_words(t, 4, GFP_KERNEL, 'test_alloc');
    priv_store(t, w + 2, 7);
    kfree_words(t, w, 4, 'test_free');
    driver_write(t, w + 2, 9);
    expect(taskFindingTitles(t)).toEqual(['PRIV_USE_AFTER_FREE: use-after-free in driver_write (slab-use-after-free)']);
    expect(t.i32[t.arena.layout.priv + w + 2]).toBe(7);
  });

  it('reports a cmpxchg or a sub through a freed block after the caller and drops it, returning the stale word', () => {
    const t = fenceTask();
    const w = kzalloc_words(t, 4, GFP_KERNEL, 'test_alloc');
    priv_store(t, w + 2, 7);
    kfree_words(t, w, 4, 'test_free');
    expect(driver_cmpxchg(t, w + 2, 7, 8)).toBe(7);
    expect(driver_sub(t, w + 2)).toBe(7);
    expect(taskFindingTitles(t)).toEqual([
      'PRIV_USE_AFTER_FREE: use-after-free in driver_cmpxchg (slab-use-after-free)',
      'PRIV_USE_AFTER_FREE: use-after-free in driver_sub (slab-use-after-free)',
    ]);
    expect(t.i32[t.arena.layout.priv + w + 2]).toBe(7);
  });

  it('reports a second kfree_words of a block as a double free after the freeing function, and the free list is unchanged', () => {
    const t = fenceTask();
    const w = kzalloc_words(t, 3, GFP_KERNEL, 'test_alloc');
    kfree_words(t, w, 3, 'test_free');
    driver_release(t, w, 3);
    expect(taskFindingTitles(t)).toEqual(['PRIV_DOUBLE_FREE: use-after-free in driver_release (double-free)']);
    exhaustPriv(t);
    expect(kzalloc_words(t, 3, GFP_KERNEL, 'test_alloc')).toBe(w);
    expect(() => kzalloc_words(t, 3, GFP_KERNEL, 'test_alloc')).toThrow(expect.objectContaining({ code: 'ERR_ARENA_GEOMETRY' }) as Error);
  });

  it('keeps a freed block out of reuse while the cursor has room (quarantine)', () => {
    const t = fenceTask();
    const w = kzalloc_words(t, 4, GFP_KERNEL, 'test_alloc');
    kfree_words(t, w, 4, 'test_free');
    expect(kzalloc_words(t, 4, GFP_KERNEL, 'test_alloc')).not.toBe(w);
    driver_read(t, w);
    expect(findingCodes(t)).toEqual(['PRIV_USE_AFTER_FREE']);
  });

  it('reuses a freed block once the cursor is exhausted, unpoisoned and zeroed: no report on its new owner', () => {
    const t = fenceTask();
    const w = kzalloc_words(t, 4, GFP_KERNEL, 'test_alloc');
    priv_store(t, w + 2, 5);
    kfree_words(t, w, 4, 'test_free');
    exhaustPriv(t);
    expect(kzalloc_words(t, 4, GFP_KERNEL, 'test_alloc')).toBe(w);
    expect([0, 1, 2, 3].map((i) => driver_read(t, w + i))).toEqual([0, 0, 0, 0]);
    driver_write(t, w, 1);
    kfree_words(t, w, 4, 'test_free');
    expect(findingCodes(t)).toEqual([]);
  });

  it('starts every trial with no word poisoned', () => {
    const t = fenceTask();
    const w = kzalloc_words(t, 40, GFP_KERNEL, 'test_alloc');
    kfree_words(t, w, 40, 'test_free');
    t.arena.resetTrial({ actors: 1, mode: 0, stepLimit: 100, waitPolicy: 0, replayLen: 0 });
    const again = kzalloc_words(t, 40, GFP_KERNEL, 'test_alloc');
    expect(again).toBe(w);
    driver_read(t, again + 39);
    expect(findingCodes(t)).toEqual([]);
  });
});
