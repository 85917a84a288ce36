/**
 * mlx5 ODP dma-buf MR contract (kernel-semantics §4.7 "Dynamic ODP RDMA", §4.12, §4.8) on a VFIO
 * exporter with the merged knobs: VFIO admits the revocable importer; a revoke while the NIC runs
 * is clean because the invalidate callback zaps the MR translation and unmaps synchronously (the
 * NIC's DMA is not fenced); afterwards page faults get -ENODEV. The deferred-zap preset shows the
 * assertions can fail.
 */
import { describe, expect, it } from 'vitest';
import { ENODEV } from '../../../src/errno/errno.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { EXECUTORS, findingTitles, runTrials, type ExecutorKind } from '../../support/both.js';
import { W } from '../../fixtures/gpu/common.js';
import { odpVfioContract } from '../../fixtures/gpu/odp.js';

type Over = Record<string, string | number | boolean>;

const run = (kind: ExecutorKind, c: string, n = 1, over: Over = {}): Promise<TrialResult[]> =>
  runTrials(kind, odpVfioContract, n, { params: { case: c, ...over }, leakCheck: true });

const u = (r: TrialResult, w: number): number => r.user[w]!;

function expectClean(results: readonly TrialResult[]): void {
  expect(findingTitles(results)).toEqual([]);
  expect(results.map((r) => r.end).filter((e) => e !== 'done')).toEqual([]);
}

describe.each(EXECUTORS)('mlx5 ODP importer on VFIO (%s)', (kind) => {
  it('VFIO (final) admits the revocable ODP MR: attach, initial fault, transfer, deregister', async () => {
    const [r] = await run(kind, 'admit');
    expectClean([r!]);
    expect(u(r!, W.RET)).toBeGreaterThanOrEqual(0);
    expect(u(r!, W.REVOCABLE)).toBe(1);
    expect([u(r!, W.KREF), u(r!, W.RET2), u(r!, W.KREF_AFTER)]).toEqual([2, 0, 1]);
  });

  it('a revoke while the NIC runs leaves no use-after-revoke (synchronous zap); later page faults get -ENODEV', async () => {
    const results = await run(kind, 'revoke', kind === 'inline' ? 2000 : 100);
    expectClean(results);
    for (const r of results) {
      expect([u(r, W.XFERS), u(r, W.ZAPS), u(r, W.KREF_AFTER)]).toEqual([1, 1, 1]);
      expect(u(r, W.RET2)).toBe(-ENODEV);
      expect([0, -ENODEV]).toContain(u(r, W.FIRST_ERR));
    }
  });

  it('revoke contrast (zap deferred to the next NIC operation): the NIC DMAs after the revoke completed', async () => {
    const results = await run(kind, 'revoke', kind === 'inline' ? 300 : 30, { zap: 'deferred' });
    const hit = results.filter((r) => r.findings.length > 0);
    expect(hit.length).toBeGreaterThan(0);
    for (const r of hit) expect(new Set(r.findings.map((f) => [f.code, f.kind].join(' ')))).toEqual(new Set(['DMA_USE_AFTER_REVOKE use-after-revoke']));
  });
});
