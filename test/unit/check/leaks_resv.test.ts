// Reservation objects at trial end. A resv a setup made with dma_resv_init and nobody finished is
// not a leak: the setup's objects belong to the scenario's environment, which outlives the trial,
// so kmemleak would still find its fence list referenced. A resv is leaked when the object
// embedding it is freed without dma_resv_fini; the one the model frees is the dma-buf, whose
// release finishes its own resv, and a dma-buf never released is reported once, as the dma-buf
// (its resv's fence list goes with it). Inline and controlled.
import { describe, expect, it } from 'vitest';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { dmabufResvFenced, resvNeverFinished } from '../../fixtures/leaks.js';

const codes = (rs: readonly { readonly findings: readonly { readonly code: string; readonly title: string }[] }[]): string[][] =>
  rs.map((r) => r.findings.map((f) => `${f.code}: ${f.title}`));

describe.each(EXECUTORS)('reservation objects at trial end (%s)', (kind) => {
  it('does not report a setup resv never finished, though it holds a fence list and a fence', async () => {
    expect(codes(await runTrials(kind, resvNeverFinished, 10, { leakCheck: true }))).toEqual(Array(10).fill([]));
  });

  it('reports a dma-buf never released once, as the dma-buf, with its fenced resv', async () => {
    const rs = await runTrials(kind, dmabufResvFenced, 10, { leakCheck: true });
    expect(codes(rs)).toEqual(Array(10).fill(['LEAK_DMABUF: leak in dma_buf_put']));
  });

  it('reports nothing once the dma-buf is released, and its release finished the resv: a later query is a use after fini', async () => {
    expect(codes(await runTrials(kind, dmabufResvFenced, 10, { leakCheck: true, params: { end: 'put' } }))).toEqual(Array(10).fill([]));
    expect(codes(await runTrials(kind, dmabufResvFenced, 10, { leakCheck: true, params: { end: 'use-after-put' } })))
      .toEqual(Array(10).fill(['RESV_USE_AFTER_FINI: use-after-free in dma_resv_test_signaled']));
  });
});
