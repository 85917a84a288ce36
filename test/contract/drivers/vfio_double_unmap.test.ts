// An importer's second unmap of one table reaches the exporter (dma_buf_unmap_attachment keeps no
// map count), so VFIO's unmap wait completes early and a revoke with memory reuse resets memory
// another importer still maps. The buggy variant must be found within 20 inline trials per
// strategy (the handshakes leave one outcome) and on worker threads; the twin that unmaps once
// stays clean over 2,000 inline and 100 controlled trials.
import { describe, expect, it } from 'vitest';
import { runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import { vfioDoubleUnmap, vfioUnmapOnce } from '../../fixtures/vfio/double_unmap.js';

const BUDGET = 20;
const FOUND = [
  ['DMABUF_UNMAP_UNDERFLOW', 'refcount-underflow in dma_buf_unmap_attachment'],
  ['REUSE_BEFORE_UNMAP', 'use-after-free in vfio_pci_try_reset_function'],
];

describe('a double unmap of a VFIO buffer', () => {
  it(`completes the revoke's unmap wait early: found within ${BUDGET} inline trials as use-after-free in vfio_pci_try_reset_function`, () => {
    const r = firstFound(vfioDoubleUnmap, BUDGET);
    expect(r, `not found in ${BUDGET} trials per strategy`).toBeDefined();
    const got = r!.findings.map((f) => [f.code, f.title]);
    for (const want of FOUND) expect(got).toContainEqual(want);
  });

  it('is found on worker threads with the same codes and titles', async () => {
    const got = (await runTrials('controlled', vfioDoubleUnmap, 10)).flatMap((r) => r.findings.map((f) => [f.code, f.title]));
    for (const want of FOUND) expect(got).toContainEqual(want);
  });

  it('keeps the twin that unmaps once clean over 2,000 inline and 100 controlled trials', async () => {
    await expectClean(vfioUnmapOnce, 2000, 100);
  }, 120_000);
});
