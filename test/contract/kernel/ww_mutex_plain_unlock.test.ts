/**
 * mutex_unlock of a ww_mutex locked through an acquire context (include/linux/ww_mutex.h: only
 * ww_mutex_unlock clears ww->ctx and counts the context down): the mutex is free, but ww->ctx
 * still names the context, which still counts the lock — the same context's relock returns
 * -EALREADY, its ww_acquire_fini WARNs ctx->acquired, and the next context to acquire the mutex
 * WARNs ww->ctx (ww_mutex_lock_acquired). Locking through a finished context is lockdep's
 * "Nested lock was not taken". For both lock classes under the inline and controlled executors.
 */
import { describe, expect, it } from 'vitest';
import { EALREADY_RET } from '../../fixtures/kernel.js';
import { VARIANTS, trials } from '../../fixtures/ww/matrix.js';
import { P, wwFinishedCtx, wwPlainUnlock } from '../../fixtures/ww/plain_unlock.js';
import { runTrials } from '../../support/both.js';

describe.each(VARIANTS)('mutex_unlock of a ww-locked mutex: %s class, %s executor', (_c, _e, { waitDie, exec }) => {
  it('leaves ww->ctx and the count: -EALREADY on relock, WARNs at fini and at the next context\'s lock', async () => {
    for (const r of await runTrials(exec, wwPlainUnlock, trials(exec, 3, 2), { params: { waitDie } })) {
      expect(r.end).toBe('done');
      expect(r.findings.map((f) => [f.code, f.actor, f.title])).toEqual([
        ['WW_FINI_HELD', 0, 'assertion in ww_acquire_fini (ctx->acquired)'],
        ['WW_CTX_STILL_SET', 1, 'assertion in ww_mutex_lock (ww->ctx)'],
      ]);
      expect([P.CTX_LEFT, P.ACQUIRED, P.LOCKED, P.RELOCK, P.NEXT].map((w) => r.user[w])).toEqual([1, 1, 0, EALREADY_RET, 0]);
    }
  });

  it('reports a lock through a finished context as lockdep\'s nest lock not taken', async () => {
    for (const r of await runTrials(exec, wwFinishedCtx, trials(exec, 2, 1), { params: { waitDie } })) {
      expect(r.end).toBe('done');
      expect(r.findings.map((f) => [f.code, f.title])).toEqual([['WW_CTX_STALE', 'assertion in ww_mutex_lock (Nested lock was not taken)']]);
    }
  });
});
