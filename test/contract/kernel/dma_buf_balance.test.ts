// Unbalanced undo of dma-buf operations (kernel-semantics §4.4): a second unmap or unpin of one
// map or pin WARNs as a refcount underflow (and still reaches the exporter, as in the kernel:
// vfio_double_unmap.test shows what that costs), and a
// detach from a dma-buf the attachment does not belong to WARNs and leaves the attachment alone.
// Each buggy variant must be found within 200 inline trials (random, then PCT); each fixed twin
// stays clean over 3,000 inline and 100 controlled trials (each race has a handful of orders).
import { describe, expect, it } from 'vitest';
import type { AnyScenario } from '../../../src/exec/scenario.js';
import { runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import {
  B, dmabufDetachOther, dmabufDetachOwn, dmabufStaticUnmapTwice, dmabufUnmapOnce, dmabufUnmapTwice, dmabufUnpinOnce, dmabufUnpinTwice,
} from '../../fixtures/dmabuf/balance.js';

const BUDGET = 200;

const BUGGY: readonly (readonly [string, AnyScenario, string, string])[] = [
  ['dmabuf-unmap-twice', dmabufUnmapTwice, 'DMABUF_UNMAP_UNDERFLOW', 'refcount-underflow in dma_buf_unmap_attachment'],
  ['dmabuf-unpin-twice', dmabufUnpinTwice, 'DMABUF_UNPIN_UNDERFLOW', 'refcount-underflow in dma_buf_unpin'],
  ['dmabuf-detach-other', dmabufDetachOther, 'DMABUF_DETACH_MISMATCH', 'assertion in dma_buf_detach'],
];

const FIXED: readonly (readonly [string, AnyScenario])[] = [
  ['dmabuf-unmap-once', dmabufUnmapOnce], ['dmabuf-unpin-once', dmabufUnpinOnce], ['dmabuf-detach-own', dmabufDetachOwn],
];

describe('unbalanced dma-buf undo', () => {
  it('reports a static importer\'s second unmap once, as the unmap\'s underflow, and still reaches the exporter\'s unpin', async () => {
    const [r] = await runTrials('inline', dmabufStaticUnmapTwice, 1);
    expect([r!.findings.map((f) => [f.code, f.title]), r!.user[B.UNPINS]]).toEqual([
      [['DMABUF_UNMAP_UNDERFLOW', 'refcount-underflow in dma_buf_unmap_attachment']], 2,
    ]);
  });

  it.each(BUGGY)('finds %s within 200 inline trials as %s', (_name, s, code, title) => {
    const r = firstFound(s, BUDGET);
    expect(r, `${s.name} not found in ${BUDGET} trials per strategy`).toBeDefined();
    expect(r!.findings.map((f) => [f.code, f.title])).toContainEqual([code, title]);
  });

  it.each(BUGGY)('reports %s on worker threads with the same code and title', async (_name, s, code, title) => {
    const found = (await runTrials('controlled', s, 40)).flatMap((r) => r.findings.map((f) => [f.code, f.title]));
    expect(found).toContainEqual([code, title]);
  });

  it.each(FIXED)('keeps %s clean over 3,000 inline and 100 controlled trials', async (_name, s) => {
    await expectClean(s, 3000, 100);
  }, 120_000);
});
