// The freed-block quarantine is bounded: below half the private region a kzalloc takes fresh words
// (a late access right after a free is caught: priv_kasan.test.ts), from half on it reuses an
// exact-length freed block first — so a trial that frees what it allocates never runs out.
import { describe, expect, it } from 'vitest';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { kfree_words, kzalloc_words, priv_load } from '../../../src/kernel/priv.js';
import { fenceTask, findingCodes } from '../../support/fence_task.js';

describe('the bounded quarantine', () => {
  it('10,000 × (kzalloc(3); kfree) then kzalloc(4) fits the default region', () => {
    const t = fenceTask();
    for (let i = 0; i < 10_000; i++) kfree_words(t, kzalloc_words(t, 3, GFP_KERNEL, 'test_alloc'), 3, 'test_free');
    expect(kzalloc_words(t, 4, GFP_KERNEL, 'test_alloc')).toBeGreaterThanOrEqual(0);
    expect(findingCodes(t)).toEqual([]);
  });

  it('below half the region a freed block is not reused, and a late read of it is reported', () => {
    const t = fenceTask();
    const w = kzalloc_words(t, 3, GFP_KERNEL, 'test_alloc');
    kfree_words(t, w, 3, 'test_free');
    expect(kzalloc_words(t, 3, GFP_KERNEL, 'test_alloc')).not.toBe(w);
    priv_load(t, w + 2);
    expect(findingCodes(t)).toEqual(['PRIV_USE_AFTER_FREE']);
  });

  it('from half the region on, the freed block of the requested length comes back at once', () => {
    const t = fenceTask();
    kzalloc_words(t, t.arena.geometry.privWords / 2, GFP_KERNEL, 'test_alloc');
    const w = kzalloc_words(t, 3, GFP_KERNEL, 'test_alloc');
    kfree_words(t, w, 3, 'test_free');
    expect(kzalloc_words(t, 3, GFP_KERNEL, 'test_alloc')).toBe(w);
  });
});
