// A dma_fence_wait_any_timeout that leaves one callback armed (the seeded buggy fixture,
// test/fixtures/fence/wait_any_late_callback.ts) has that callback write the doorbell it freed when
// the fence signals after the wait returned: KASAN's slab-use-after-free, titled after
// dma_fence_default_wait_cb. Budget: every one of the first TRIALS inline trials reports it; the
// fixed twin (every callback removed) stays clean in all of them.
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { waitAnyLateCallback } from '../../fixtures/fence/wait_any_late_callback.js';
import { codes } from '../../fixtures/lockdep/run_once.js';
import { withExecutorSync } from '../../support/executor.js';

const TRIALS = 8;
/** The fixture's waiter: actor 0. */
const WAITER = 0;

function trials(skip: number): TrialResult[] {
  return withExecutorSync(new InlineExecutor(waitAnyLateCallback, { params: { skip } }), (ex) =>
    Array.from({ length: TRIALS }, (_, i) => ex.runTrial(i)));
}

describe('a wait-any callback left armed past the wait', () => {
  it('writes the freed doorbell when its fence signals: PRIV_USE_AFTER_FREE in dma_fence_default_wait_cb, every trial', () => {
    for (const r of trials(2)) {
      expect(codes(r)).toContainEqual(['PRIV_USE_AFTER_FREE', 'use-after-free in dma_fence_default_wait_cb (slab-use-after-free)']);
    }
  });

  it('names the block\'s history: allocated and freed by the waiter in waitAnyKeepingOne (KASAN\'s "Allocated by / Freed by")', () => {
    for (const r of trials(2)) {
      const uaf = r.findings.find((f) => f.code === 'PRIV_USE_AFTER_FREE');
      expect(uaf?.slab).toEqual({ allocBy: WAITER, allocFn: 'waitAnyKeepingOne', freeBy: WAITER, freeFn: 'waitAnyKeepingOne' });
    }
  });

  it('with every callback removed (the fixed twin) is clean', () => {
    for (const r of trials(-1)) expect(codes(r)).toEqual([]);
  });
});
