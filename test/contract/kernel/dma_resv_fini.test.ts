// dma_resv_fini against the lock (kernel-semantics §1.9, §4.6): finishing a locked reservation
// object is mutex_destroy's DEBUG_LOCKS_WARN_ON(mutex_is_locked) (assertion), and locking a
// finished one a use-after-free in dma_resv_lock. Each buggy variant must be found within 200
// inline trials (random, then PCT); the fixed twin stays clean over 20,000 inline and 500
// controlled trials.
import { describe, expect, it } from 'vitest';
import type { AnyScenario } from '../../../src/exec/scenario.js';
import { runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import { resvFiniAfterUnlock, resvFiniWhileLocked, resvLockAfterFini } from '../../fixtures/resv/fini.js';

const BUDGET = 200;

const BUGGY: readonly (readonly [string, string, string, AnyScenario])[] = [
  ['resv-fini-while-locked', 'RESV_FINI_LOCKED', 'assertion in mutex_destroy', resvFiniWhileLocked],
  ['resv-lock-after-fini', 'RESV_USE_AFTER_FINI', 'use-after-free in dma_resv_lock', resvLockAfterFini],
];

describe('dma_resv_fini against the lock', () => {
  it.each(BUGGY)('finds %s within 200 inline trials as %s (%s)', (_name, code, title, s) => {
    const r = firstFound(s, BUDGET);
    expect(r, `${s.name} not found in ${BUDGET} trials per strategy`).toBeDefined();
    expect(r!.findings.map((f) => [f.code, f.title])).toEqual([[code, title]]);
  });

  it('reports a lock of a finished object on worker threads with the same code and title', async () => {
    for (const r of await runTrials('controlled', resvLockAfterFini, 5)) {
      expect(r.end).toBe('done');
      expect(r.findings.map((f) => [f.code, f.title])).toEqual([['RESV_USE_AFTER_FINI', 'use-after-free in dma_resv_lock']]);
    }
  });

  it('keeps resv-fini-after-unlock clean over 20,000 inline and 500 controlled trials', async () => {
    await expectClean(resvFiniAfterUnlock);
  }, 120_000);
});
