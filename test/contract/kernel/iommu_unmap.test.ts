// A second dma_unmap_sg of one mapping is reported (src/kernel/iommu.ts, CONFIG_DMA_API_DEBUG's
// check_unmap) as DMA_UNMAP_UNMAPPED, naming who mapped and who unmapped first with their steps,
// before and after the range was mapped again; the stale unmap changes nothing. Inline and
// controlled, same seeds.
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import { MAPPER, UNMAP, UNMAPPER, iovaDoubleUnmap, iovaUnmapNever } from '../../fixtures/dmabuf/double_unmap.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';

const FOUND = { end: 'done', codes: ['DMA_UNMAP_UNMAPPED'] };
const TITLE = 'dma-after-unmap in dma_unmap_sg';
const AUX = { mappedBy: UNMAP.AUX, mapStep: UNMAP.AUX + 1, unmappedBy: UNMAP.AUX + 2, unmapStep: UNMAP.AUX + 3 } as const;
const STEPS = { mappedBy: UNMAP.MAP_STEP, mapStep: UNMAP.MAP_STEP, unmappedBy: UNMAP.UNMAP_STEP, unmapStep: UNMAP.UNMAP_STEP } as const;

describe.each(EXECUTORS)('dma_unmap_sg of an unmapped DMA address (%s)', (kind) => {
  it.each([false, true])('reports a second unmap (range mapped again: %s) naming who mapped and who unmapped first', async (remap) => {
    for (const r of await run(kind, iovaDoubleUnmap, { again: true, remap })) {
      expect(outcome(r), at(r)).toEqual(FOUND);
      expect([r.findings[0]?.title, r.findings[0]?.actor], at(r)).toEqual([TITLE, MAPPER]);
      const steps = pick(r, STEPS);
      expect(pick(r, AUX), at(r)).toEqual({ ...steps, mappedBy: MAPPER + 1, unmappedBy: UNMAPPER + 1 });
    }
  });

  it('leaves the mapping that reuses the range alone: the device reads through it and its unmap is clean', async () => {
    for (const r of await run(kind, iovaDoubleUnmap, { again: true, remap: true })) {
      expect(outcome(r), at(r)).toEqual(FOUND);
      const w = pick(r, UNMAP);
      expect(w.NEW_ROW, at(r)).toBe(w.OLD_ROW);
      expect(w.NEW, at(r)).not.toBe(w.OLD);
      expect(w.ACCESS_RET, at(r)).toBe(0);
    }
  });

  it.each([false, true])('keeps the fixed twin (one unmap; range mapped again: %s) clean', async (remap) => {
    for (const r of await run(kind, iovaDoubleUnmap, { again: false, remap })) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
    }
  });

  it('reports an unmap of a handle no dma_map_sg returned, naming nobody', async () => {
    for (const r of await run(kind, iovaUnmapNever)) {
      expect(outcome(r), at(r)).toEqual(FOUND);
      expect(r.findings[0]?.title, at(r)).toBe(TITLE);
      expect(pick(r, AUX), at(r)).toEqual({ mappedBy: 0, mapStep: 0, unmappedBy: 0, unmapStep: 0 });
    }
  });
});
