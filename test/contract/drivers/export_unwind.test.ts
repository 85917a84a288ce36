// An export that cannot get its pages fails with -ENOMEM and leaves nothing live: the pages it
// took are given back and its new dma-buf — which nobody else has seen — is released by the
// unwind's dma_buf_put (vfio_pci_core_feature_dma_buf's error path); with pages to spare the same
// export gives a live buffer. The GPU exporter (xe) and VFIO, inline and controlled, leak check on.
import { describe, expect, it } from 'vitest';
import { ENOMEM } from '../../../src/errno/errno.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { at, pick } from '../../fixtures/fence/oracle.js';
import { ENOMEM_W, SPARE, exportEnomem } from '../../fixtures/dmabuf/export_enomem.js';

const TAKEN = 63 - SPARE;

describe.each(EXECUTORS)('an export without enough pages (%s)', (kind) => {
  it.each(['xe', 'vfio'] as const)('%s: fails -ENOMEM, gives the pages back and releases its dma-buf', async (exporter) => {
    for (const r of await runTrials(kind, exportEnomem, 3, { params: { exporter, pages: SPARE + 1 }, leakCheck: true })) {
      expect([r.end, r.findings.map((f) => f.code)], at(r)).toEqual(['done', []]);
      expect(pick(r, ENOMEM_W), at(r)).toEqual({ RET: -ENOMEM, OWNED_BEFORE: TAKEN, OWNED_AFTER: TAKEN, REFS: 0, RELEASED: 1 });
    }
  });

  it.each(['xe', 'vfio'] as const)('%s: with the pages to spare, exports a live buffer', async (exporter) => {
    for (const r of await runTrials(kind, exportEnomem, 3, { params: { exporter, pages: SPARE }, leakCheck: true })) {
      expect([r.end, r.findings.map((f) => f.code)], at(r)).toEqual(['done', []]);
      expect(pick(r, ENOMEM_W), at(r)).toEqual({ RET: 0, OWNED_BEFORE: TAKEN, OWNED_AFTER: TAKEN + SPARE, REFS: 1, RELEASED: 0 });
    }
  });
});
