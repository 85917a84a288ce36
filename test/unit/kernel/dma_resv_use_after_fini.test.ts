// Every call on a reservation object after dma_resv_fini is a use of freed memory (the object is
// embedded in a freed one, or its fence list was freed by fini), reported as RESV_USE_AFTER_FINI
// titled after the call: the fence-list writers (reserve, add, replace), the locked iterator and
// dma_resv_assert_held and the lock-state readers (is_locked, locking_ctx, held) — each beside the lock and unlock of the finished object, already reported
// — and the lockless readers (get_fences, test_signaled, wait_timeout). The writers change
// nothing (reserve: -EINVAL), the readers see no fences, the lock-state readers answer what the
// caller did to the lock (held by it, through its context), so its unlock still pairs. Each call made before the fini stays
// clean. Inline and controlled.
import { describe, expect, it } from 'vitest';
import { EINVAL } from '../../../src/errno/errno.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import { FU, LOCKED_USES, LOCKLESS_USES, resvFiniUse, type Use } from '../../fixtures/resv/fini_use.js';

const UAF = 'RESV_USE_AFTER_FINI';
const uaf = (fn: string): [string, string] => [UAF, `use-after-free in ${fn}`];

const CALL: Readonly<Record<Use, readonly string[]>> = {
  reserve: ['dma_resv_reserve_fences'], add: ['dma_resv_reserve_fences', 'dma_resv_add_fence'],
  replace: ['dma_resv_replace_fences'], iter: ['dma_resv_for_each_fence'], assert: ['dma_resv_assert_held'],
  locked: ['dma_resv_is_locked'], ctx: ['dma_resv_locking_ctx'], held: ['dma_resv_held'],
  get: ['dma_resv_get_fences'], test: ['dma_resv_test_signaled'], wait: ['dma_resv_wait_timeout'],
};

/** What the user's call returned on a finished object (fixture word RET). */
const RET: Readonly<Record<Use, number>> = {
  reserve: -EINVAL, add: -EINVAL, replace: 0, iter: 0, assert: 0, locked: 1, ctx: 1, held: 1, get: 0, test: 1, wait: 1,
};

/** The findings of a use after fini: the call's own, between the lock's and the unlock's when locked. */
function want(use: Use): [string, string][] {
  const own = CALL[use].map(uaf);
  return (LOCKLESS_USES as readonly Use[]).includes(use) ? own : [uaf('dma_resv_lock'), ...own, uaf('dma_resv_unlock')];
}

const USES: readonly Use[] = [...LOCKED_USES, ...LOCKLESS_USES];

describe.each(EXECUTORS)('calls on a finished reservation object (%s)', (kind) => {
  it.each(USES)('reports %s after dma_resv_fini, titled after the call, and changes nothing', async (use) => {
    for (const r of await runTrials(kind, resvFiniUse, 3, { params: { use, afterFini: true } })) {
      expect(r.end).toBe('done');
      expect(r.findings.map((f) => [f.code, f.title])).toEqual(want(use));
      expect(r.user[FU.RET]).toBe(RET[use]);
    }
  });
});

describe('must-find pairs for uses after dma_resv_fini', () => {
  it.each(USES)('finds %s after fini within 50 inline trials', (use) => {
    const s = { ...resvFiniUse, params: { use, afterFini: true } };
    expect(firstFound(s, 50)?.findings.map((f) => [f.code, f.title])).toEqual(want(use));
  });

  it.each(USES)('keeps %s before fini clean over 3,000 inline and 50 controlled trials', async (use) => {
    await expectClean({ ...resvFiniUse, params: { use, afterFini: false } }, 3000, 50);
  }, 60_000);
});
