// S21 (the v5 posting's timed unmap wait, NAKed): a revoke whose 1 s wait for the importers'
// unmaps times out WARNs as v5 did (VFIO_UNMAP_TIMEOUT) and returns with a mapping still live —
// which that WARN reports, so the model's REVOKE_LIVE_MAPPINGS at the return stays silent (one
// cause, one finding). Must-find pair over the canonical revoke scenario with two dynamic GPU
// importers, which unmap soon after the invalidate: the timed wait is found within 1,000 inline
// trials of one strategy (pct:3 finds it at its first; random and pct:2 within 600), the
// blocking wait stays clean.
import { describe, expect, it } from 'vitest';
import { expectClean, expectFound, firstFound } from '../../support/mustfind.js';
import { revokeUnmapBlock, revokeUnmapTimeout } from '../../fixtures/vfio/unmap_timeout.js';

describe('S21 timed unmap wait', () => {
  it('finds revoke-unmap-timeout as assertion within 1,000 inline trials', () => {
    expectFound(revokeUnmapTimeout);
  });

  it('reports the v5 WARN, not again as the revoke returning with a live mapping', () => {
    const codes = firstFound(revokeUnmapTimeout, 1000)?.findings.map((f) => f.code);
    expect(codes).toContain('VFIO_UNMAP_TIMEOUT');
    expect(codes).not.toContain('REVOKE_LIVE_MAPPINGS');
  });

  it('keeps revoke-unmap-block clean over 3,000 inline and 50 controlled trials', async () => {
    await expectClean(revokeUnmapBlock, 3000, 50);
  }, 120_000);
});
