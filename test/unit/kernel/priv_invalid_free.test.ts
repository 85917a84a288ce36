// A kfree_words of words that are no kzalloc'd block — at or past the private cursor (just past
// the last block, or far outside the region), before the region, inside a block — or of a live
// block with a shorter length (the rest of the wrong lengths: priv_record.test.ts) is KASAN's
// invalid-free (PRIV_INVALID_FREE, titled after kfree's caller) and changes nothing; and a trial
// reset clears the whole shadow, so no poison outlives its trial.
import { describe, expect, it } from 'vitest';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { kzalloc_words } from '../../../src/kernel/priv.js';
import { kasan_poison_priv } from '../../../src/kernel/priv_kasan.js';
import type { Task } from '../../../src/kernel/task.js';
import { C_NEXT_PRIV } from '../../../src/shm/layout.js';
import { fenceTask, taskFindingTitles } from '../../support/fence_task.js';
import { driver_read, driver_release } from '../../support/priv_sites.js';

function nextTrial(t: Task): void {
  t.arena.resetTrial({ actors: 1, mode: 0, stepLimit: 100, waitPolicy: 0, replayLen: 0 });
}

describe('an invalid kfree_words', () => {
  it.each([
    ['just past the cursor (the words after the last block)', (w: number) => w + 4, 4, true],
    ['far past the cursor (outside the region)', () => 2 ** 30, 4, true],
    ['before the region', () => -1, 4, false],
    ['inside a block', (w: number) => w + 1, 3, false],
    ['shorter than a block', (w: number) => w, 1, false],
  ])('%s: PRIV_INVALID_FREE after the caller, and nothing is poisoned', (_what, at, n, pastCursor) => {
    const t = fenceTask();
    const w = kzalloc_words(t, 4, GFP_KERNEL, 'test_alloc');
    expect(at(w) >= Atomics.load(t.i32, t.ctl + C_NEXT_PRIV)).toBe(pastCursor);
    driver_release(t, at(w), n);
    expect(taskFindingTitles(t)).toEqual(['PRIV_INVALID_FREE: use-after-free in driver_release (invalid-free)']);
    for (let i = 0; i < 4; i++) driver_read(t, w + i);
    expect(taskFindingTitles(t)).toHaveLength(1);
  });

  it('the reviewer\'s case: alloc 4, free with n = 100; the next trial reads a fresh kzalloc(100) without a report', () => {
    const t = fenceTask();
    const w = kzalloc_words(t, 4, GFP_KERNEL, 'test_alloc');
    driver_release(t, w, 100);
    nextTrial(t);
    const again = kzalloc_words(t, 100, GFP_KERNEL, 'test_alloc');
    for (let i = 0; i < 100; i++) driver_read(t, again + i);
    expect(taskFindingTitles(t)).toEqual([]);
  });
});

describe('a trial reset', () => {
  it('clears poison anywhere in the shadow, also past the words the trial took', () => {
    const t = fenceTask();
    kzalloc_words(t, 4, GFP_KERNEL, 'test_alloc');
    const last = t.arena.geometry.privWords - 1;
    kasan_poison_priv(t, last - 40, 41);
    nextTrial(t);
    const w = kzalloc_words(t, last + 1, GFP_KERNEL, 'test_alloc');
    for (let i = last - 40; i <= last; i++) driver_read(t, w + i);
    expect(taskFindingTitles(t)).toEqual([]);
  });
});
