// Lockdep-tracked spinlocks (spinlock_lockdep.ts): two spinlocks of one class nested are
// "possible recursive locking" titled after spin_lock, unless a lock the task holds — a mutex, or
// a spinlock as the selftest's X1 — serializes them as their nest lock (spin_lock_nest_lock, the
// selftest's ww_test_spin_nest_lock: clean, also with a lock of another class taken between them,
// on which a nested acquisition records no dependency); a nest lock the task does not hold is
// "nested lock was not taken", once per acquisition. (A mutex under a spinlock is W9's
// spin+block row: ww_mutex_misuse.test.ts.)
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import { spinNest } from '../../fixtures/lockdep/spin_nest.js';
import { CLEAN, at, outcome, run } from '../../fixtures/fence/oracle.js';

const NESTS = ['mutex', 'spinlock'] as const;

describe.each(EXECUTORS)('nested spinlocks of one class (%s)', (kind) => {
  it.each(NESTS.flatMap((nestKind) => (['nest', 'interleaved'] as const).map((how) => [how, nestKind] as const)))(
    'keeps them clean under a held nest lock (%s, a %s as the nest lock)',
    async (how, nestKind) => {
      for (const r of await run(kind, spinNest, { how, nestKind })) expect(outcome(r), at(r)).toEqual(CLEAN);
    },
  );

  it('reports them as recursive locking in spin_lock without one', async () => {
    for (const r of await run(kind, spinNest, { how: 'plain' })) {
      expect(r.findings.map((f) => [f.code, f.title]), at(r))
        .toEqual([['LOCK_RECURSIVE', 'assertion in spin_lock (possible recursive locking detected)']]);
    }
  });

  it.each(NESTS)('reports a nest lock (a %s) the task does not hold at each spin_lock_nest_lock', async (nestKind) => {
    for (const r of await run(kind, spinNest, { how: 'unheld', nestKind })) {
      expect(r.end, at(r)).toBe('done');
      const nest = ['LOCK_NEST_NOT_HELD', 'assertion in spin_lock_nest_lock (Nested lock was not taken)'];
      expect(r.findings.map((f) => [f.code, f.title]), at(r)).toEqual([nest, nest]);
      expect(new Set(r.findings.map((f) => f.obj)).size, at(r)).toBe(2);
    }
  });
});
