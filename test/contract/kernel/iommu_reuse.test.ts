// DMA address ranges are reclaimed (src/kernel/iova_alloc.ts) and a DMA address kept past its
// unmap still faults once its range is mapped again (src/kernel/dma_access.ts). Inline and
// controlled, same seeds.
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import {
  ORDER, RANGES, REDIRECT, STALE, iovaOldestFirst, iovaRanges, iovaRedirectUnmapped, iovaStaleAccess,
} from '../../fixtures/dmabuf/iova_reuse.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';

describe.each(EXECUTORS)('DMA address reuse (%s)', (kind) => {
  it('reuses an unmapped range first fit, keeps its tail free, then takes never-used addresses', async () => {
    for (const r of await run(kind, iovaRanges)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      const w = pick(r, RANGES);
      expect([w.B_ROW, w.C_ROW, w.D_ROW], at(r)).toEqual([w.A_ROW, w.A_ROW + 2, w.A_ROW + 4]);
      expect(w.B, at(r)).not.toBe(w.A);
    }
  });

  it('reuses freed ranges oldest first', async () => {
    for (const r of await run(kind, iovaOldestFirst)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      const w = pick(r, ORDER);
      expect([w.FIRST_ROW, w.SECOND_ROW], at(r)).toEqual([w.X_ROW, w.Y_ROW]);
    }
  });

  it('leaves an unmapped range unmapped when it is redirected, so a second unmap (reported) frees nothing twice', async () => {
    for (const r of await run(kind, iovaRedirectUnmapped)) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: ['DMA_UNMAP_UNMAPPED'] });
      const w = pick(r, REDIRECT);
      expect(w.SECOND_ROW, at(r)).not.toBe(w.FIRST_ROW);
    }
  });

  it('reports a device access through an address whose range was mapped again as dma-after-unmap', async () => {
    for (const r of await run(kind, iovaStaleAccess, { remap: true, handle: 'stale' })) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: ['DMA_AFTER_UNMAP'] });
      expect(r.findings[0]?.title, at(r)).toBe('dma-after-unmap in dma_engine_access');
      const w = pick(r, STALE);
      expect(w.NEW_ROW, at(r)).toBe(w.OLD_ROW);
      expect(w.NEW, at(r)).not.toBe(w.OLD);
    }
  });

  it('reports the same access before the range is reused the same way', async () => {
    for (const r of await run(kind, iovaStaleAccess, { remap: false, handle: 'stale' })) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', codes: ['DMA_AFTER_UNMAP'] });
      expect(r.findings[0]?.title, at(r)).toBe('dma-after-unmap in dma_engine_access');
    }
  });

  it('keeps the fixed twin (the access goes through the live mapping) clean', async () => {
    for (const r of await run(kind, iovaStaleAccess, { remap: true, handle: 'current' })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
    }
  });
});
