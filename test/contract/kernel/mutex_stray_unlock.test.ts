/**
 * A mutex unlocked by a task that does not hold it (kernel/locking/mutex.c: lockdep's bad unlock
 * balance, then the release goes ahead whoever owns it): a third task enters while the owner is
 * still inside, and the owner's own unlock then finds the mutex not its own
 * (DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)), as does the third task's after it. The
 * holders' bookkeeping stays whole: lockdep still knows the owner as holding the mutex until it
 * unlocks, every held stack ends empty and no task exits with a lock counted held.
 *
 * Must-find pair: the race variant's overlap within 200 inline trials per strategy (random, then
 * PCT); the fixed twin (the stray task takes the mutex first) clean over 6,000 inline and 100
 * controlled trials.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { StressExecutor } from '../../../src/exec/stress.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { expectClean } from '../../support/mustfind.js';
import { trials } from '../../fixtures/ww/matrix.js';
import { withExecutor } from '../../support/executor.js';
import {
  S, mutexStrayUnlock, mutexStrayUnlockFixed, mutexStrayUnlockLoop, mutexStrayUnlockRace,
} from '../../fixtures/ww/stray_unlock.js';

const BUDGET = 200;
const OWNER = 0;
const STRAY = 1;
const THIRD = 2;
const BAD_BALANCE = ['UNLOCK_NOT_HELD', 'assertion in mutex_unlock'] as const;
const NOT_OWNER = ['MUTEX_UNLOCK_NOT_OWNER', 'assertion in __mutex_unlock_slowpath'] as const;

const seen = (r: TrialResult): (string | number)[][] => r.findings.map((f) => [f.code, f.actor, f.title]);

describe.each(EXECUTORS.flatMap((exec) => [[exec, false], [exec, true]] as const))(
  'mutex-stray-unlock: %s executor, ww_mutex %s', (exec, ww) => {
    it('lets the third task in while the owner is inside; both their unlocks find the mutex not their own', async () => {
      for (const r of await runTrials(exec, mutexStrayUnlock, trials(exec, 3, 2), { params: { ww } })) {
        expect(r.end).toBe('done');
        expect(seen(r)).toEqual([
          [BAD_BALANCE[0], STRAY, BAD_BALANCE[1]], [NOT_OWNER[0], OWNER, NOT_OWNER[1]], [NOT_OWNER[0], THIRD, NOT_OWNER[1]],
        ]);
        expect(r.user[S.OVERLAP]).toBe(1);
      }
    });

    it('names who held the mutex at each unlock that found it not its own: the third task at the owner\'s, nobody at the third\'s', async () => {
      for (const r of await runTrials(exec, mutexStrayUnlock, trials(exec, 2, 1), { params: { ww } })) {
        const notOwner = r.findings.filter((f) => f.code === NOT_OWNER[0]);
        expect(notOwner.map((f) => [f.actor, f.holder])).toEqual([[OWNER, THIRD], [THIRD, -1]]);
      }
    });

    it('keeps lockdep\'s held stacks whole: the owner\'s entry until its unlock, every stack empty after', async () => {
      for (const r of await runTrials(exec, mutexStrayUnlock, trials(exec, 2, 1), { params: { ww } })) {
        const held = [S.OWNER_HELD_INSIDE, S.OWNER_HELD_AFTER, S.STRAY_HELD_AFTER, S.THIRD_HELD_AFTER].map((w) => r.user[w]! - 1);
        expect(held).toEqual([1, 0, 0, 0]);
      }
    });
  },
);

it('mutex-stray-unlock with ww_mutexes: the stray ww_mutex_unlock counts the owner\'s context down', async () => {
  for (const r of await runTrials('inline', mutexStrayUnlock, 2, { params: { ww: true } })) expect(r.user[S.OWNER_ACQUIRED]! - 1).toBe(0);
});

describe('mutex-stray-unlock-race: must-find pair', () => {
  it(`finds a third task inside with the owner within ${BUDGET} inline trials, the owner's unlock reported`, () => {
    let found: TrialResult | undefined;
    for (const strategy of ['random', 'pct:2', 'pct:3']) {
      const ex = new InlineExecutor(mutexStrayUnlockRace, { strategy });
      for (let seed = 0; seed < BUDGET && found === undefined; seed++) {
        const r = ex.runTrial(seed);
        if (r.user[S.OVERLAP] === 1) found = r;
      }
      if (found !== undefined) break;
    }
    expect(found, `no overlap in ${BUDGET} trials per strategy`).toBeDefined();
    expect(found!.end).toBe('done');
    const got = seen(found!);
    expect(got).toContainEqual([BAD_BALANCE[0], STRAY, BAD_BALANCE[1]]);
    expect(got).toContainEqual([NOT_OWNER[0], OWNER, NOT_OWNER[1]]);
    expect(got.filter(([code]) => code !== BAD_BALANCE[0] && code !== NOT_OWNER[0])).toEqual([]);
  });

  it('keeps mutex-stray-unlock-fixed clean over 6,000 inline and 100 controlled trials', async () => {
    await expectClean(mutexStrayUnlockFixed, 6000, 100);
  }, 120_000);
});

// On real threads the stray's release and its mark of the owner race the owner's own unlock: the
// owner must never keep the mutex counted after its unlock, nor report its own unlock or lock.
it('mutex-stray-unlock-loop on the stress executor: the owner\'s unlocks stay whole against a stray unlocking in a loop', async () => {
  await withExecutor(new StressExecutor(mutexStrayUnlockLoop, { durationMs: 10_000, delayChance: 0 }), async (ex) => {
    for (let seed = 1; seed <= 2; seed++) {
      const r = await ex.runTrial(seed);
      expect(r.end).toBe('done');
      expect(r.user[S.HELD_AFTER_OWN_UNLOCK]).toBe(0);
      expect(seen(r).filter(([code, actor]) => !(code === BAD_BALANCE[0] && actor === STRAY) && !(code === NOT_OWNER[0] && actor === OWNER))).toEqual([]);
    }
  });
}, 60_000);
