// dma_resv_fini against the lock (kernel-semantics §1.9, §4.6): finishing a locked reservation
// object is mutex_destroy's DEBUG_LOCKS_WARN_ON(mutex_is_locked) (assertion), and locking or
// unlocking a finished one a use-after-free titled after the call (an unlock by a task that does
// not hold the lock is also a bad unlock balance). Each buggy variant must be found within 200
// inline trials (random, then PCT); the fixed twin stays clean over 20,000 inline and 500
// controlled trials.
import { describe, expect, it } from 'vitest';
import type { AnyScenario } from '../../../src/exec/scenario.js';
import { runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import { resvFiniAfterUnlock, resvFiniWhileLocked, resvLockAfterFini, resvUnlockAfterFini } from '../../fixtures/resv/fini.js';

const BUDGET = 200;

const UNLOCK_UAF = ['RESV_USE_AFTER_FINI', 'use-after-free in dma_resv_unlock'];

const BUGGY: readonly (readonly [string, AnyScenario, readonly (readonly string[])[]])[] = [
  ['resv-fini-while-locked', resvFiniWhileLocked, [['RESV_FINI_LOCKED', 'assertion in mutex_destroy'], UNLOCK_UAF]],
  ['resv-lock-after-fini', resvLockAfterFini, [['RESV_USE_AFTER_FINI', 'use-after-free in dma_resv_lock'], UNLOCK_UAF]],
  ['resv-unlock-after-fini', resvUnlockAfterFini, [UNLOCK_UAF, ['UNLOCK_NOT_HELD', 'assertion in mutex_unlock']]],
];

describe('dma_resv_fini against the lock', () => {
  it.each(BUGGY)('finds %s within 200 inline trials with exactly its findings', (_name, s, want) => {
    const r = firstFound(s, BUDGET);
    expect(r, `${s.name} not found in ${BUDGET} trials per strategy`).toBeDefined();
    expect(r!.findings.map((f) => [f.code, f.title])).toEqual(want);
  });

  it.each([
    ['a lock', resvLockAfterFini, BUGGY[1]![2]],
    ['an unlock', resvUnlockAfterFini, BUGGY[2]![2]],
  ])('reports %s of a finished object on worker threads with the same codes and titles', async (_what, s, want) => {
    for (const r of await runTrials('controlled', s, 5)) {
      expect(r.end).toBe('done');
      expect(r.findings.map((f) => [f.code, f.title])).toEqual(want);
    }
  });

  it('keeps resv-fini-after-unlock clean over 20,000 inline and 500 controlled trials', async () => {
    await expectClean(resvFiniAfterUnlock);
  }, 120_000);
});
