/**
 * ww_mutex oracle, kernel-semantics §7.3 W1 (test_mutex) and W2 (test_aa), plus the plain-mutex
 * self-deadlock (§2.3 step 5: without a context the lock never returns -EALREADY), for both lock
 * classes under the inline and controlled executors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrialResult } from '../../../src/exec/result.js';
import { EALREADY_RET } from '../../fixtures/kernel.js';
import {
  AA, AA_WORDS, MTX, MTX_WORDS, TEST_MTX_CTX, TEST_MTX_LAST, TEST_MTX_SPIN, TEST_MTX_TRY, wwSelfDeadlock,
  wwTestAa, wwTestMutex,
} from '../../fixtures/ww/exclusion.js';
import { VARIANTS, trials } from '../../fixtures/ww/matrix.js';
import { findingTitles, runTrials } from '../../support/both.js';

function flagName(flags: number): string {
  const names = [[TEST_MTX_SPIN, 'SPIN'], [TEST_MTX_TRY, 'TRY'], [TEST_MTX_CTX, 'CTX']] as const;
  const set = names.filter(([bit]) => (flags & bit) !== 0).map(([, n]) => n);
  return `flags=${flags} ${set.length === 0 ? 'none' : set.join('|')}`;
}

const FLAGS = Array.from({ length: TEST_MTX_LAST }, (_, f) => [flagName(f), f] as const);

describe.each(VARIANTS)('W1 test_mutex: %s class, %s executor', (_c, _e, { waitDie, exec }) => {
  let rs: TrialResult[] = [];
  beforeAll(async () => {
    rs = await runTrials(exec, wwTestMutex, trials(exec, 150, 15), { params: { waitDie } });
  });

  it('runs every round to the end without a finding', () => {
    expect(findingTitles(rs)).toEqual([]);
    expect(rs.map((r) => r.end)).toEqual(rs.map(() => 'done'));
  });

  it.each(FLAGS)('never lets the worker hold the mutex while the holder does (%s)', (_name, flags) => {
    const w = MTX_WORDS * flags;
    const got = rs.map((r) => ({
      seed: r.seed, violations: r.user[w + MTX.VIOLATIONS], acquired: r.user[w + MTX.WORKER_ACQUIRED],
      holder: r.user[w + MTX.HOLDER_RET], worker: r.user[w + MTX.WORKER_RET],
    }));
    expect(got).toEqual(rs.map((r) => ({ seed: r.seed, violations: 0, acquired: 1, holder: 0, worker: 0 })));
  });
});

describe.each(VARIANTS)('W2 test_aa: %s class, %s executor', (_c, _e, { waitDie, exec }) => {
  let rs: TrialResult[] = [];
  beforeAll(async () => {
    rs = await runTrials(exec, wwTestAa, 2, { params: { waitDie } });
  });

  it.each([['lock', false], ['trylock', true]] as const)(
    'fails both trylocks and returns -EALREADY when the context relocks a mutex it holds (first taken by %s)',
    (_name, trylock) => {
      const w = trylock ? AA_WORDS : 0;
      expect(findingTitles(rs)).toEqual([]);
      for (const r of rs) {
        expect(r.end).toBe('done');
        expect(r.user.slice(w + AA.FIRST, w + AA.ACQUIRED + 1)).toEqual([trylock ? 1 : 0, 1, 0, 0, EALREADY_RET, 1]);
      }
    },
  );
});

/** lockdep's check_deadlock on the second lock of a ww_mutex (its class is validated); a plain
 *  mutex made without a key is not validated. */
const RECURSIVE = ['LOCK_RECURSIVE', 'assertion', 'assertion in ww_mutex_lock (possible recursive locking detected)'];

describe.each(VARIANTS)('NULL-context self-deadlock: %s class, %s executor', (_c, _e, { waitDie, exec }) => {
  it.each([['plain mutex', true, ''], ['ww_mutex', false, ', after lockdep\'s recursive locking']] as const)(
    'reports a %s taken twice by one task without a context as a deadlock cycle of one%s',
    async (_name, plain, _after) => {
      const rs = await runTrials(exec, wwSelfDeadlock, trials(exec, 3, 1), { params: { waitDie, plain } });
      for (const r of rs) {
        expect(r.end).toBe('deadlock');
        expect(r.findings.map((f) => [f.code, f.kind, f.title])).toEqual([
          ...(plain ? [] : [RECURSIVE]), ['deadlock', 'deadlock', 'deadlock in mutex_lock'],
        ]);
        expect(r.findings.at(-1)!.waits?.map((w) => [w.actor, w.kind, w.next])).toEqual([[0, 'mutex', 0]]);
      }
    },
  );
});
