import { describe, expect, it } from 'vitest';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import { dmabufPutBalanced, dmabufPutForgotten, leaks } from '../../fixtures/leaks.js';
import { dmaMappingOutlivesAttachment } from '../../fixtures/leaks_dma_mapping.js';

describe.each(EXECUTORS)('leaks at trial end (%s)', (kind) => {
  it('reports an unsignaled fence whose signaler finished, an attachment never detached and a dma-buf never put', async () => {
    const [r] = await runTrials(kind, leaks, 1, { leakCheck: true });
    expect(r!.findings.map((f) => [f.code, f.title]).sort()).toEqual([
      ['LEAK_ATTACHMENT', 'leak in dma_buf_detach'], ['LEAK_DMABUF', 'leak in dma_buf_put'], ['LEAK_FENCE', 'leak in dma_fence_signal'],
    ]);
  });

  it('stays quiet when the actor signals, detaches and puts', async () => {
    const [r] = await runTrials(kind, leaks, 1, { leakCheck: true, params: { fixed: true } });
    expect(r!.findings).toEqual([]);
  });

  it('reports a dma-buf whose importer forgot its dma_buf_put, whether the exporter put its reference first or last', async () => {
    for (const r of await runTrials(kind, dmabufPutForgotten, 20, { leakCheck: true })) {
      expect(r.end).toBe('done');
      expect(r.findings.map((f) => [f.code, f.title, f.obj])).toEqual([['LEAK_DMABUF', 'leak in dma_buf_put', 0]]);
    }
  });
});

describe.each(EXECUTORS)('an IOMMU-table mapping left at trial end (%s)', (kind) => {
  it.each([
    // [how the importer ends, findings [code, title, obj]]
    ['detach-mapped', [['LEAK_DMA_MAPPING', 'leak in dma_unmap_sg', 0]]],
    ['unmap', []],
    ['keep-attached', [['LEAK_ATTACHMENT', 'leak in dma_buf_detach', 0], ['LEAK_DMABUF', 'leak in dma_buf_put', 0]]],
    ['no-attachment', []],
  ] as const)('ending %s reports %j: only a mapping that outlived its attachment is its own leak', async (end, findings) => {
    for (const r of await runTrials(kind, dmaMappingOutlivesAttachment, 3, { leakCheck: true, params: { end } })) {
      expect(r.end).toBe('done');
      expect(r.findings.map((f) => [f.code, f.title, f.obj])).toEqual(findings);
    }
  });
});

describe('a dma-buf left live at trial end', () => {
  it('is found within 10 inline trials, as the leak of that dma-buf only', () => {
    const r = firstFound(dmabufPutForgotten, 10);
    expect(r?.findings.map((f) => [f.code, f.title])).toEqual([['LEAK_DMABUF', 'leak in dma_buf_put']]);
  });

  it('is not reported when every reference is put: the twin stays clean over 20,000 inline and 500 controlled trials', async () => {
    await expectClean(dmabufPutBalanced);
  }, 120_000);
});
