// kfree_words's double-free check and its poisoning are one step (under C_FENCE_LOCK), and the
// free-list walk of a kzalloc is bounded: a list a bug made cyclic — the state two racing frees of
// one block left before (the block pushed twice: its link names itself) — or a link word a late
// write corrupted ends the walk instead of looping forever with the lock held.
import { describe, expect, it } from 'vitest';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { kfree_words, kzalloc_words, kzalloc_words_or_fail, privIndex } from '../../../src/kernel/priv.js';
import { fenceTask, findingCodes, exhaustPriv } from '../../support/fence_task.js';

describe('the private free list', () => {
  it('a block whose link names itself (pushed twice) ends the walk: a kzalloc of another length returns, and the block is reused once', () => {
    const t = fenceTask();
    const w = kzalloc_words(t, 3, GFP_KERNEL, 'test_alloc');
    kfree_words(t, w, 3, 'test_free');
    Atomics.store(t.i32, privIndex(t, w), w + 1); // the second push of a racing double free
    exhaustPriv(t);
    expect(kzalloc_words_or_fail(t, 4, GFP_KERNEL, 'test_alloc')).toBe(-1);
    expect(kzalloc_words_or_fail(t, 3, GFP_KERNEL, 'test_alloc')).toBe(w);
    expect(kzalloc_words_or_fail(t, 3, GFP_KERNEL, 'test_alloc')).toBe(-1);
    kfree_words(t, w, 3, 'test_free');
    kfree_words(t, w, 3, 'test_free');
    expect(findingCodes(t)).toEqual(['PRIV_DOUBLE_FREE']);
  });

  it('a two-block cycle ends the walk too (bounded by the words below the cursor)', () => {
    const t = fenceTask();
    const a = kzalloc_words(t, 3, GFP_KERNEL, 'test_alloc');
    const b = kzalloc_words(t, 3, GFP_KERNEL, 'test_alloc');
    kfree_words(t, a, 3, 'test_free');
    kfree_words(t, b, 3, 'test_free');
    Atomics.store(t.i32, privIndex(t, a), b + 1); // a -> b -> a
    exhaustPriv(t);
    expect(kzalloc_words_or_fail(t, 4, GFP_KERNEL, 'test_alloc')).toBe(-1);
  });

  it('a link word naming no given-back block is not followed (freedLink)', () => {
    const t = fenceTask();
    const a = kzalloc_words(t, 3, GFP_KERNEL, 'test_alloc');
    const live = kzalloc_words(t, 3, GFP_KERNEL, 'test_alloc');
    const b = kzalloc_words(t, 4, GFP_KERNEL, 'test_alloc');
    kfree_words(t, b, 4, 'test_free');
    kfree_words(t, a, 3, 'test_free');
    Atomics.store(t.i32, privIndex(t, a), live + 1); // a's link now names a block still in use
    exhaustPriv(t);
    expect(kzalloc_words_or_fail(t, 3, GFP_KERNEL, 'test_alloc')).toBe(a);
    expect(kzalloc_words_or_fail(t, 3, GFP_KERNEL, 'test_alloc')).toBe(-1);
    expect(kzalloc_words_or_fail(t, 4, GFP_KERNEL, 'test_alloc')).toBe(-1);
  });
});
