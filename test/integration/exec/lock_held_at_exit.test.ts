// An actor that returns with a lock held — a mutex or a spinlock_t — is lockdep's "task exited with
// locks held" (do_exit): LOCK_HELD_AT_EXIT, a leak finding. The buggy variant returns early,
// locked, only when the revoker ran first: found within 100 inline trials and on worker threads;
// the twin that unlocks on its early return takes that return and stays clean over 3,000 inline
// and 100 controlled trials.
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import { X, exitLocked, exitLockedSpin, exitUnlocked, exitUnlockedSpin } from '../../fixtures/exec/exit_locked.js';

const FINDING = ['LOCK_HELD_AT_EXIT', 'leak in do_exit'];

describe.each([
  { lock: 'a mutex', locked: exitLocked, unlocked: exitUnlocked },
  { lock: 'a spinlock_t', locked: exitLockedSpin, unlocked: exitUnlockedSpin },
])('an actor exiting with $lock held', ({ locked: exitLocked, unlocked: exitUnlocked }) => {
  it('is found within 100 inline trials, after an early return', () => {
    const r = firstFound(exitLocked, 100);
    expect(r?.findings.map((f) => [f.code, f.title])).toEqual([FINDING]);
    expect(r!.user[X.EARLY]).toBe(1);
  });

  it('is found on worker threads (controlled, 40 trials)', async () => {
    const found = (await runTrials('controlled', exitLocked, 40)).flatMap((r) => r.findings.map((f) => [f.code, f.title]));
    expect(found).toContainEqual(FINDING);
  });

  it('is not reported when the early return unlocks', async () => {
    const ex = new InlineExecutor(exitUnlocked, { strategy: 'random' });
    const early = Array.from({ length: 100 }, (_, seed) => ex.runTrial(seed).user[X.EARLY]!).filter((n) => n > 0);
    expect(early.length).toBeGreaterThan(0);
    await expectClean(exitUnlocked, 3000, 100);
  });
});
