// S15 (kernel-semantics §6): mlx5 dma-buf MR deregistration against the exporter's invalidate.
// Before "RDMA/mlx5: Fix a race for DMABUF MR which can lead to CQE with error" (Fixes:
// e6fb246ccafb) mlx5_revoke_mr revoked the mkey without the resv lock and left
// umem_dmabuf->private set: an invalidate callback (resv held by VFIO) landing before the umem's
// release still found the MR live and mapped and posted its zap UMR on the revoked mkey — the
// UMR QP's error CQE, MLX5_UMR_REVOKED_MKEY here. With the fix the revoke is under the resv lock
// and clears private, so a later callback does nothing. The NIC transfers once and deregisters
// while VFIO clears PCI_COMMAND_MEMORY (test/fixtures/gpu/odp.ts, case `dereg`).
import { describe, expect, it } from 'vitest';
import { runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import { odpDeregLocked, odpDeregUnlocked } from '../../fixtures/gpu/odp.js';

/** Inline trials (seeds 0 .. n − 1 per strategy: random, pct:2, pct:3) the buggy variant gets. */
const INLINE_BUDGET = 500;
/** Controlled trials the buggy variant gets. */
const CONTROLLED_BUDGET = 300;
const FINDING = ['MLX5_UMR_REVOKED_MKEY', 'use-after-free in mlx5r_umr_update_mr_pas'];

describe('mlx5 ODP MR deregistration racing an invalidate (S15)', () => {
  it(`revoking the mkey without the resv lock: found inline within ${INLINE_BUDGET} trials`, () => {
    const r = firstFound(odpDeregUnlocked, INLINE_BUDGET);
    expect(r?.findings.map((f) => [f.code, f.title])).toEqual([FINDING]);
  });

  it(`revoking the mkey without the resv lock: found on controlled threads within ${CONTROLLED_BUDGET} trials`, async () => {
    const results = await runTrials('controlled', odpDeregUnlocked, CONTROLLED_BUDGET);
    expect(results.flatMap((r) => r.findings.map((f) => [f.code, f.title]))).toContainEqual(FINDING);
  }, 120_000);

  it('with the fix (under the resv lock, private cleared) stays clean over 6,000 inline and 200 controlled trials', async () => {
    await expectClean(odpDeregLocked, 6000, 200);
  }, 120_000);
});
