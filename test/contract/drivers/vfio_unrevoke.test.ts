/**
 * VFIO un-revoke (kernel-semantics §4.10, vfio_pci_dma_buf_move(vdev, false)): like a revoke it
 * takes the resv lock, invalidates the importers and waits for BOOKKEEP fences — with `revoked`
 * still set — and only then clears `revoked` in a second lock hold. Pinned under both executors;
 * the KERNEL-only wait of the v3 posting is the contrast that shows the fence assertion can fail.
 */
import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../../../src/exec/result.js';
import { EXECUTORS, findingTitles, runTrials, type ExecutorKind } from '../../support/both.js';
import { W } from '../../fixtures/vfio/importer.js';
import { U } from '../../fixtures/vfio/unrevoke_cases.js';
import { vfioContract } from '../../fixtures/vfio/vfio.js';

const trials = (kind: ExecutorKind): number => (kind === 'inline' ? 200 : 20);

const run = (kind: ExecutorKind, knobs: string): Promise<TrialResult[]> =>
  runTrials(kind, vfioContract, trials(kind), { params: { case: 'UNREVOKE', knobs } });

const u = (r: TrialResult, w: number): number => r.user[w]!;

describe.each(EXECUTORS)('VFIO un-revoke (%s)', (kind) => {
  it('invalidates the importers under the resv lock while the buffer is still revoked', async () => {
    const results = await run(kind, 'final');
    expect(findingTitles(results)).toEqual([]);
    for (const r of results) {
      expect(r.end).toBe('done');
      expect(u(r, W.INVAL)).toBe(2);
      expect(u(r, U.INVAL2_AT)).toBeGreaterThan(u(r, U.UNREVOKE_AT));
      expect([u(r, U.REVOKED_AT_INVAL2), u(r, U.HELD_AT_INVAL2)]).toEqual([1, 1]);
      expect([u(r, W.REVOKED_AFTER), u(r, W.KREF_AFTER)]).toEqual([0, 1]);
    }
  });

  it('does not return while a BOOKKEEP fence published before it is unsignaled', async () => {
    const results = await run(kind, 'final');
    for (const r of results) {
      expect(u(r, W.RET)).toBe(0);
      expect(u(r, W.SIGNAL_AT)).toBeGreaterThan(u(r, U.INVAL2_AT));
      expect(u(r, W.UNREVOKE_DONE)).toBeGreaterThan(u(r, W.SIGNAL_AT));
      expect(u(r, W.FENCE_DONE)).toBe(1);
    }
  });

  it('contrast (v3 KERNEL-only wait): un-revoke returns with the BOOKKEEP fence pending', async () => {
    const results = await run(kind, 'kernel-wait');
    expect(results.some((r) => u(r, W.UNREVOKE_DONE) < u(r, W.SIGNAL_AT))).toBe(true);
    for (const r of results) expect(u(r, W.INVAL)).toBe(2);
  });
});
