/**
 * Another task's acquire context (fixtures/ww/foreign_ctx.ts): its ww_acquire_fini is lockdep's
 * "bad unlock balance" and changes neither task's locks nor the context; a lock through it is
 * "nested lock was not taken", reported at the attempt (lockdep's check precedes the wait), so
 * also when the attempt dies or waits for good, and once however often it sleeps; its
 * ww_acquire_done is the assert that the caller holds its map (LOCK_NOT_HELD). For both lock
 * classes under the inline and controlled executors.
 */
import { describe, expect, it } from 'vitest';
import { EDEADLK } from '../../../src/errno/errno.js';
import { VARIANTS, trials } from '../../fixtures/ww/matrix.js';
import { F, wwForeignDone, wwForeignFini, wwForeignLock, wwForeignLockContended } from '../../fixtures/ww/foreign_ctx.js';
import { runTrials } from '../../support/both.js';

/** The contended attempts: whether the holder of the lock lets it go once the attempt waits. */
const CONTENDED = [
  { how: 'never acquires (dies, or waits for good)', letGo: false },
  { how: 'acquires after sleeping (the holder lets go)', letGo: true },
];

describe.each(VARIANTS)('another task\'s acquire context: %s class, %s executor', (_c, _e, { waitDie, exec }) => {
  it('ww_acquire_fini of it is a bad unlock balance that keeps the caller\'s held locks and the owner\'s context', async () => {
    for (const r of await runTrials(exec, wwForeignFini, trials(exec, 3, 2), { params: { waitDie } })) {
      expect(r.end).toBe('done');
      expect(r.findings.map((f) => [f.code, f.actor, f.title])).toEqual([
        ['WW_FINI_TWICE', 1, 'assertion in ww_acquire_fini (bad unlock balance detected)'],
      ]);
      expect([F.STACK_KEPT, F.OTHER_NEXT, F.OWNER_LOCK].map((w) => r.user[w])).toEqual([1, 0, 0]);
    }
  });

  it('a lock through it is lockdep\'s nest lock not taken, though the context lives', async () => {
    for (const r of await runTrials(exec, wwForeignLock, trials(exec, 3, 2), { params: { waitDie } })) {
      expect(r.end).toBe('done');
      expect(r.findings.map((f) => [f.code, f.actor, f.title])).toEqual([
        ['WW_CTX_STALE', 1, 'assertion in ww_mutex_lock (Nested lock was not taken)'],
      ]);
      expect(r.user[F.OWNER_LOCK]).toBe(0);
    }
  });

  it('ww_acquire_done of it is the assert that the caller holds its map, and marks it done all the same', async () => {
    for (const r of await runTrials(exec, wwForeignDone, trials(exec, 3, 2), { params: { waitDie } })) {
      expect(r.end).toBe('done');
      expect(r.findings.map((f) => [f.code, f.actor, f.title]).sort()).toEqual([
        ['LOCK_NOT_HELD', 1, 'lock-not-held in ww_acquire_done'],
        ['WW_LOCK_AFTER_DONE', 0, 'assertion in ww_mutex_lock (ww_ctx->done_acquire)'],
      ]);
    }
  });

  // A wait-die attempt dies on the older holder before it sleeps: it cannot be let go to.
  it.each(CONTENDED.filter((c) => !(c.letGo && waitDie)))('an attempt through it that $how is nest lock not taken, once, at the attempt', async ({ letGo }) => {
    for (const r of await runTrials(exec, wwForeignLockContended, trials(exec, 3, 2), { params: { waitDie, letGo } })) {
      expect(r.findings.filter((f) => f.code === 'WW_CTX_STALE').map((f) => [f.actor, f.title, f.repeats ?? 0])).toEqual([
        [2, 'assertion in ww_mutex_lock (Nested lock was not taken)', 0],
      ]);
      const ret = letGo ? 0 : waitDie ? -EDEADLK : null;
      expect([r.end, r.findings.length, r.user[F.OTHER_LOCK]]).toEqual(ret === null ? ['deadlock', 2, 0] : ['done', 1, 1024 + ret]);
    }
  });
});
