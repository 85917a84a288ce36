/**
 * VFIO dma-buf exporter contract (kernel-semantics §4.8–§4.10, §7.5 V1–V11) under both executors.
 * The exporter runs with the merged knobs (VFIO_FINAL) unless a test names a contrast preset that
 * reproduces a posted bug — those show the final assertions are able to fail.
 */
import { VFIO_MAX_PAGES } from '../../../src/drivers/vfio_dmabuf.js';
import { describe, expect, it } from 'vitest';
import { EBUSY, EFAULT, ENODEV, EOPNOTSUPP } from '../../../src/errno/errno.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { EXECUTORS, findingTitles, runTrials, type ExecutorKind } from '../../support/both.js';
import { REMAP_TRIES } from '../../fixtures/vfio/importer.js';
import { W } from '../../fixtures/vfio/importer.js';
import { vfioContract } from '../../fixtures/vfio/vfio.js';
import { iommufdUnwind } from '../../../scenarios/iommufd-unwind.js';
import { iommufdUnwindLeak } from '../../../scenarios/iommufd-unwind-leak.js';
import { iommufdPinFails } from '../../fixtures/iommufd/pin_fail.js';
import { I } from '../../fixtures/iommufd/symbol_get.js';

type Over = Record<string, string | number | boolean>;

/** Trials per concurrent case: many cheap inline schedules, a few tens on worker threads. */
const trials = (kind: ExecutorKind): number => (kind === 'inline' ? 200 : 20);

const run = (kind: ExecutorKind, c: string, n = 1, over: Over = {}): Promise<TrialResult[]> =>
  runTrials(kind, vfioContract, n, { params: { case: c, ...over } });

const codes = (r: TrialResult): string[] => r.findings.map((f) => f.code);
const u = (r: TrialResult, w: number): number => r.user[w]!;

/** Every trial ended normally with no finding. */
function expectClean(results: readonly TrialResult[]): void {
  expect(findingTitles(results)).toEqual([]);
  expect(results.map((r) => r.end).filter((e) => e !== 'done')).toEqual([]);
}

describe.each(EXECUTORS)('VFIO exporter contract (%s)', (kind) => {
  it('V1: refuses a static importer (and any importer without peer2peer) with -EOPNOTSUPP', async () => {
    const [r] = await run(kind, 'V1');
    expectClean([r!]);
    expect([u(r!, W.RET), u(r!, W.RET2)]).toEqual([-EOPNOTSUPP, -EOPNOTSUPP]);
    expect(u(r!, W.LINKED)).toBe(0);
    expect(u(r!, W.KREF_AFTER)).toBe(1);
  });

  it('V2: refuses a dynamic importer without invalidate_mappings with -EOPNOTSUPP, accepts a revocable one', async () => {
    const [r] = await run(kind, 'V2');
    expectClean([r!]);
    expect(u(r!, W.RET)).toBe(-EOPNOTSUPP);
    expect(u(r!, W.RET2)).toBeGreaterThanOrEqual(0);
    expect(u(r!, W.LINKED)).toBe(1);
  });

  it('V3: refuses a revocable importer while revoked with -ENODEV (peer2peer checked first), accepts it after un-revoke', async () => {
    const [r] = await run(kind, 'V3');
    expectClean([r!]);
    expect(u(r!, W.REVOKED_SEEN)).toBe(1);
    expect(u(r!, W.RET)).toBe(-ENODEV);
    // Check order of the attach op: !peer2peer (-EOPNOTSUPP), revoked (-ENODEV), !revocable.
    expect(u(r!, W.RET2)).toBe(-ENODEV);
    expect(u(r!, W.RET3)).toBe(-EOPNOTSUPP);
    expect(u(r!, W.LINKED)).toBe(0);
    expect(u(r!, W.RET4)).toBeGreaterThanOrEqual(0);
  });

  it('V4: fails a map while revoked with -ENODEV and leaves the kref unchanged; maps again after un-revoke', async () => {
    const results = await run(kind, 'V4', trials(kind));
    expectClean(results);
    for (const r of results) {
      expect(u(r, W.RET)).toBe(-ENODEV);
      expect([u(r, W.KREF_BEFORE), u(r, W.KREF_AFTER), u(r, W.MAPS_LEFT)]).toEqual([1, 1, 0]);
      expect(u(r, W.RET2)).toBeGreaterThan(0);
      expect(u(r, W.KREF_AFTER2)).toBe(2);
    }
  });

  it('V5: revoke does not return until the importer fence in BOOKKEEP signals', async () => {
    const results = await run(kind, 'V5', trials(kind));
    expectClean(results);
    for (const r of results) {
      expect(u(r, W.RET)).toBe(0);
      expect(u(r, W.SIGNAL_AT)).toBeGreaterThan(u(r, W.REVOKE_AT));
      expect(u(r, W.REVOKE_DONE)).toBeGreaterThan(u(r, W.SIGNAL_AT));
      expect(u(r, W.FENCE_DONE)).toBe(1);
      expect([u(r, W.KREF_BEFORE), u(r, W.KREF_AFTER)]).toEqual([1, 1]);
    }
  });

  it('V5 contrast (S1, KERNEL-only wait): revoke returns with the BOOKKEEP fence pending', async () => {
    const results = await run(kind, 'V5', trials(kind), { knobs: 'kernel-wait' });
    const early = results.filter((r) => u(r, W.REVOKE_DONE) < u(r, W.SIGNAL_AT));
    expect(early.length).toBeGreaterThan(0);
    for (const r of early) expect(codes(r)).toEqual(['REVOKE_FENCES_PENDING']);
  });

  it.each(['final', 'v3'])('V6 (%s kernel): revoke with a live mapping returns only after the importer unmaps; kref back to 1', async (kernel) => {
    const results = await run(kind, 'V6', trials(kind), { kernel });
    expectClean(results);
    for (const r of results) {
      expect(u(r, W.RET)).toBeGreaterThan(0);
      expect([u(r, W.KREF_MID), u(r, W.KREF_BEFORE), u(r, W.KREF_AFTER)]).toEqual([2, 2, 1]);
      expect(u(r, W.UNMAP_AT)).toBeGreaterThan(u(r, W.REVOKE_AT));
      expect(u(r, W.REVOKE_DONE)).toBeGreaterThan(u(r, W.UNMAP_AT));
      expect(u(r, W.REVOKED_SEEN)).toBe(1);
    }
  });

  it('V6 contrast (no unmap wait): revoke returns while the mapping is still live, which its return reports', async () => {
    const results = await run(kind, 'V6', trials(kind), { knobs: 'no-unmap-wait' });
    const early = (r: TrialResult): boolean => u(r, W.REVOKE_DONE) < u(r, W.UNMAP_AT);
    expect(results.some(early)).toBe(true);
    for (const r of results) {
      expect(r.findings.map((f) => [f.code, f.title])).toEqual(early(r) ? [['REVOKE_LIVE_MAPPINGS', 'assertion in revoke_return']] : []);
    }
  });

  it('V7: device close after a revoke completes, without a kref underflow', async () => {
    const results = await run(kind, 'V7', trials(kind));
    expectClean(results);
    for (const r of results) {
      expect(u(r, W.REVOKE_DONE)).toBeGreaterThan(u(r, W.UNMAP_AT));
      expect(u(r, W.CLOSE_DONE)).toBeGreaterThan(u(r, W.REVOKE_DONE));
      expect([u(r, W.KREF_MID), u(r, W.KREF_AFTER)]).toEqual([1, 1]);
    }
  });

  it('V7 contrast (S7 double drain): close underflows the kref and hangs on the completion', async () => {
    const results = await run(kind, 'V7', kind === 'inline' ? 20 : 3, { knobs: 'double-drain' });
    for (const r of results) {
      expect(u(r, W.KREF_MID)).toBe(0);
      expect(u(r, W.CLOSE_DONE)).toBe(0);
      expect(r.end).toBe('deadlock');
      expect(r.findings.map((f) => [f.code, f.kind])).toEqual([
        ['KREF_PUT_UNDERFLOW', 'refcount-underflow'], ['hang', 'hang'],
      ]);
    }
  });

  it.each(['final', 'v7'])('V8: the second revoke waits for the re-made mapping to be unmapped (%s knobs)', async (knobs) => {
    const results = await run(kind, 'V8', trials(kind), { knobs });
    expectClean(results);
    for (const r of results) {
      expect(u(r, W.RET)).toBeGreaterThan(0);
      expect(u(r, W.KREF_AFTER)).toBe(knobs === 'final' ? 1 : 0);
      expect([u(r, W.KREF_MID), u(r, W.KREF_BEFORE), u(r, W.KREF_AFTER2)]).toEqual([2, 2, knobs === 'final' ? 1 : 0]);
      expect(u(r, W.UNREVOKE_DONE)).toBeGreaterThan(u(r, W.REVOKE_DONE));
      expect(u(r, W.UNMAP2_AT)).toBeGreaterThan(u(r, W.REVOKE2_AT));
      expect(u(r, W.REVOKE2_DONE)).toBeGreaterThan(u(r, W.UNMAP2_AT));
    }
  });

  it('V8 contrast (S8, revoked cleared before the re-arm): a re-map in the window takes a reference on a zero kref', async () => {
    const results = await run(kind, 'V8', trials(kind), { knobs: 'clear-first' });
    const hit = results.filter((r) => codes(r).includes('KREF_GET_ZERO'));
    expect(hit.length).toBeGreaterThan(0);
    const early = (r: TrialResult): boolean => u(r, W.REVOKE2_DONE) < u(r, W.UNMAP2_AT);
    expect(hit.filter(early).length).toBeGreaterThan(0);
    for (const r of hit) {
      // S8's second half: the lost reference lets the next revoke's wait return before the unmap
      expect(codes(r)).toEqual(early(r) ? ['KREF_GET_ZERO', 'REVOKE_LIVE_MAPPINGS', 'KREF_PUT_UNDERFLOW'] : ['KREF_GET_ZERO', 'KREF_PUT_UNDERFLOW']);
    }
  });

  it('V9: the FLR path revokes during the reset and un-revokes after it; the importer re-maps', async () => {
    const results = await run(kind, 'V9', trials(kind));
    expectClean(results);
    for (const r of results) {
      expect([u(r, W.REVOKED_SEEN), u(r, W.KREF_MID)]).toEqual([1, 1]);
      expect(u(r, W.RET)).toBe(-ENODEV);
      expect(u(r, W.REVOKED_AFTER)).toBe(0);
      expect(u(r, W.RET2)).toBeGreaterThan(0);
      expect(u(r, W.ENODEV_COUNT)).toBe(0);
      expect(u(r, W.KREF_AFTER)).toBe(2);
    }
  });

  it('V9: with memory disabled after the reset the buffer stays revoked and re-maps get -ENODEV', async () => {
    const results = await run(kind, 'V9', trials(kind), { memoryEnabled: false });
    expectClean(results);
    for (const r of results) {
      expect(u(r, W.REVOKED_AFTER)).toBe(1);
      expect(u(r, W.RET2)).toBe(-ENODEV);
    }
  });

  it('V9 typo (move(true) twice): the buffer stays revoked and every re-map gets -ENODEV', async () => {
    const results = await run(kind, 'V9_TYPO', trials(kind));
    expectClean(results);
    for (const r of results) {
      expect(u(r, W.REVOKED_AFTER)).toBe(1);
      expect(u(r, W.RET2)).toBe(-ENODEV);
      expect(u(r, W.ENODEV_COUNT)).toBe(REMAP_TRIES);
      expect(u(r, W.KREF_AFTER)).toBe(1);
    }
  });

  it.each(['final', 'nirvana'])('V10: speculative reads between fence retirement and unmap are allowed; after unmap a read is DMA_AFTER_UNMAP (%s knobs)', async (knobs) => {
    const results = await run(kind, 'V10', trials(kind), { knobs, access: 'read' });
    for (const r of results) {
      expect(r.end).toBe('done');
      expect(u(r, W.RET)).toBeGreaterThan(0);
      expect(u(r, W.FENCE_DONE)).toBe(1);
      expect(u(r, W.ACCESS_AT)).toBeGreaterThan(u(r, W.SIGNAL_AT));
      expect(u(r, W.REVOKE_DONE)).toBeGreaterThan(u(r, W.UNMAP_AT));
      expect([u(r, W.ACC1), u(r, W.ACC2), u(r, W.ACC3)]).toEqual([0, 0, -EFAULT]);
      expect(codes(r)).toEqual(['DMA_AFTER_UNMAP']);
    }
  });

  it('V10: a write between fence retirement and unmap (nirvana redirect) is DMA_WRITE_NIRVANA; after unmap DMA_AFTER_UNMAP', async () => {
    const results = await run(kind, 'V10', trials(kind), { knobs: 'nirvana', access: 'write' });
    for (const r of results) {
      expect(r.end).toBe('done');
      expect(u(r, W.FENCE_DONE)).toBe(1);
      expect(u(r, W.ACCESS_AT)).toBeGreaterThan(u(r, W.SIGNAL_AT));
      expect(u(r, W.UNMAP_AT)).toBeGreaterThan(u(r, W.ACCESS_AT));
      expect([u(r, W.ACC1), u(r, W.ACC3)]).toEqual([0, -EFAULT]);
      expect(r.findings.map((f) => [f.code, f.kind])).toEqual([
        ['DMA_WRITE_NIRVANA', 'use-after-revoke'], ['DMA_AFTER_UNMAP', 'dma-after-unmap'],
      ]);
    }
  });

  it('exports a size equal to the pages one mapping covers, also past the model limit of pages', async () => {
    for (const pages of [2, VFIO_MAX_PAGES + 2]) {
      const [r] = await run(kind, 'SIZE', 1, { pages });
      expectClean([r!]);
      expect(u(r!, W.RET)).toBeGreaterThan(0);
      expect(u(r!, W.RET2)).toBe(Math.min(pages, VFIO_MAX_PAGES));
      expect(u(r!, W.RET3)).toBe(u(r!, W.RET2));
    }
  });

  // V11 (iommufd unwind: pin / private-map failure detaches without a pin leak, unpin before
  // detach): the private-map half races a revoke (S20 and its fixed twin); the pin half needs an
  // exporter whose pin fails, which VFIO's (no pin op) never does — a test exporter stands in.
  it('V11: iommufd unwinds a private map that fails under a concurrent revoke: unpin, then detach, no pin leak', async () => {
    const results = await runTrials(kind, iommufdUnwind, kind === 'inline' ? 300 : 30, { leakCheck: true });
    expect(findingTitles(results)).toEqual([]);
    const buggy = await runTrials(kind, iommufdUnwindLeak, kind === 'inline' ? 300 : 30, { leakCheck: true });
    const leaks = buggy.flatMap((r) => r.findings.filter((f) => f.code === 'DMABUF_DETACH_PINNED'));
    expect(leaks.length).toBeGreaterThan(0);
    const codes = new Set(buggy.flatMap((r) => r.findings.map((f) => f.code)));
    expect([...codes].sort()).toEqual(['DMABUF_DETACH_PINNED', 'LEAK_PIN']);
  });

  it('V11: iommufd unwinds a pin that fails: the error returned, detached without an unpin, nothing left', async () => {
    for (const r of await runTrials(kind, iommufdPinFails, 3, { leakCheck: true })) {
      expect(findingTitles([r])).toEqual([]);
      expect([r.end, r.user[I.RET], r.user[I.DONE]]).toEqual(['done', -EBUSY, 1]);
    }
  });
});
