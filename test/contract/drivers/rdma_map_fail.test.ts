// The pinned RDMA importer's registration error path (umem_dmabuf.c,
// ib_umem_dmabuf_get_pinned_with_dma_device): a map that fails after the pin goes to the MR's
// release, which unpins once because `pinned` is set. Before the fix the err_unpin label unpinned
// first, so the release's unpin was a second one against an exporter with pin ops (xe): the
// exporter's pin count ends below the pins held. Two MRs on one buffer whose second mapping does
// not fit the IOMMU table (test/fixtures/rdma/map_fail.ts).
import { describe, expect, it } from 'vitest';
import { ENOMEM } from '../../../src/errno/errno.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import { MF, rdmaMapFailReleaseOnce, rdmaMapFailUnpinTwice } from '../../fixtures/rdma/map_fail.js';

/** Inline trials (seeds 0 .. n − 1 per strategy: random, pct:2, pct:3) the buggy variant gets. */
const INLINE_BUDGET = 50;
/** Controlled trials the buggy variant gets. */
const CONTROLLED_BUDGET = 50;

/** What the MRs' registrations returned (sorted) and the exporter's pin count after both. */
function outcome(r: { readonly user: readonly number[] }): { rets: number[]; pins: number } {
  return { rets: [r.user[MF.RET]!, r.user[MF.RET + 1]!].sort((a, b) => a - b), pins: r.user[MF.PINS]! };
}

describe('a pinned MR whose map fails after the pin', () => {
  it(`unpins twice before the fix: found inline within ${INLINE_BUDGET} trials as refcount-underflow in dma_buf_unpin`, () => {
    const r = firstFound(rdmaMapFailUnpinTwice, INLINE_BUDGET);
    expect(r?.findings.map((f) => [f.code, f.title])).toEqual([['DMABUF_UNPIN_UNDERFLOW', 'refcount-underflow in dma_buf_unpin']]);
    expect(outcome(r!)).toEqual({ rets: [-ENOMEM, 0], pins: -1 });
  });

  it(`unpins twice before the fix: found on controlled threads within ${CONTROLLED_BUDGET} trials`, async () => {
    const results = await runTrials('controlled', rdmaMapFailUnpinTwice, CONTROLLED_BUDGET);
    expect(results.flatMap((r) => r.findings.map((f) => [f.code, f.title]))).toContainEqual(['DMABUF_UNPIN_UNDERFLOW', 'refcount-underflow in dma_buf_unpin']);
  }, 120_000);

  it('unpins once with the fix: the failed registration returns -ENOMEM and the pin count ends at 0', () => {
    const ex = new InlineExecutor(rdmaMapFailReleaseOnce, { strategy: 'random' });
    const outcomes = Array.from({ length: 50 }, (_, seed) => ex.runTrial(seed)).map(outcome);
    expect(outcomes.filter((o) => o.rets[0] === -ENOMEM).length).toBeGreaterThan(0);
    expect(outcomes.every((o) => o.pins === 0)).toBe(true);
  });

  it('with the fix stays clean over 20,000 inline and 500 controlled trials', async () => {
    await expectClean(rdmaMapFailReleaseOnce);
  }, 120_000);
});
