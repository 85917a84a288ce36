import { describe, expect, it } from 'vitest';
import { EINVAL } from '../../../src/errno/errno.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { STRAY, getReleased, reserveEdges, strayUnlock } from '../../fixtures/resv/edges.js';

describe.each(EXECUTORS)('reservation and reference edges (%s)', (kind) => {
  it('refuses to reserve zero slots with -EINVAL and a WARN', async () => {
    const [r] = await runTrials(kind, reserveEdges, 1);
    expect(r!.user[0]).toBe(-EINVAL);
    expect(r!.findings.map((f) => f.code)).toEqual(['RESV_RESERVE_ZERO']);
  });

  it('allocates a first-size list (4 slots) when reserving after a hold that left max_fences 0', async () => {
    const [r] = await runTrials(kind, reserveEdges, 1);
    expect(r!.end).toBe('done');
    expect(r!.user[1]).toBe(4);
  });

  it('reports a reference taken on a released fence as use-after-free', async () => {
    const [r] = await runTrials(kind, getReleased, 1);
    expect(r!.findings.map((f) => [f.code, f.kind, f.title])).toEqual([['FENCE_GET_RELEASED', 'use-after-free', 'use-after-free in dma_fence_get']]);
  });

  it('asserts the lock held in a stray dma_resv_unlock and expires the holder\'s reservation all the same: its add BUGs', async () => {
    for (const r of await runTrials(kind, strayUnlock, 10)) {
      expect(r.end).toBe('bug');
      expect(r.findings.map((f) => [f.code, f.title, f.actor])).toEqual([
        ['RESV_NOT_HELD', 'lock-not-held in dma_resv_reset_max_fences', 1],
        ['UNLOCK_NOT_HELD', 'assertion in mutex_unlock', 1],
        ['RESV_ADD_NO_SLOT', 'fence-slot in dma_resv_add_fence', 0],
      ]);
      expect(r.user[STRAY.ADDED]).toBe(0);
    }
  });
});
