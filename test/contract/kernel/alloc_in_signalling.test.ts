/**
 * kernel-semantics §3.6(b)(c): a fence signalling path must not allocate with GFP_KERNEL (direct
 * reclaim may wait on fences). The must-find pair: the completion worker allocating GFP_KERNEL
 * inside dma_fence_begin/end_signalling is lockdep's circular-locking finding, titled after
 * fs_reclaim_acquire, in the first trial (the dependency is seen on first sight, whatever the
 * schedule; budget 10 trials); the twin allocating GFP_NOWAIT stays clean over 300 trials.
 */
import { describe, expect, it } from 'vitest';
import { hunt } from '../../../src/campaign/hunt.js';
import { allocInSignalling, allocNowaitInSignalling } from '../../fixtures/fence/alloc_in_signalling.js';

const CIRCULAR = ['LOCKDEP_CIRCULAR', 'circular-locking in fs_reclaim_acquire'];

describe('an allocation in a fence signalling path', () => {
  it('with GFP_KERNEL is lockdep\'s circular-locking in fs_reclaim_acquire, in the first trial', async () => {
    const r = await hunt(allocInSignalling, { trials: 10, timeMs: 30_000, seed: 1 });
    expect(r.ok).toBe(true);
    expect(r.firstExpected).toBe(1);
    expect(r.findings.map((f) => [f.code, f.title])).toEqual([CIRCULAR]);
  });

  it('with GFP_NOWAIT is clean', async () => {
    const r = await hunt(allocNowaitInSignalling, { trials: 300, timeMs: 30_000, seed: 1 });
    expect(r.trials).toBe(300);
    expect(r.findings).toEqual([]);
  });
});
