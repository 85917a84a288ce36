// Each driver's private-word constant is what the driver allocates (scenarios/lib/revoke.ts builds
// its parameter limits from them): the private-word cursor moves by exactly the constant around
// the VFIO export (its new device's words, plus one word a page; its reference on vfio_pci_core takes none: module
// reference counts live in the arena's module table), the engine, an engine context, an
// iopt_pages, and a whole GPU / legacy / pinned-RDMA importer run. Inline, 3 seeds.
import { describe, expect, it } from 'vitest';
import { DMA_ENGINE_CONTEXT_WORDS, DMA_ENGINE_WORDS } from '../../../src/drivers/dma_engine.js';
import { GPU_IMPORTER_WORDS } from '../../../src/drivers/gpu_importer.js';
import { IOPT_PAGES_WORDS } from '../../../src/drivers/iommufd_pages.js';
import { LEGACY_IMPORTER_WORDS } from '../../../src/drivers/legacy_importer.js';
import { RDMA_PINNED_MR_WORDS } from '../../../src/drivers/rdma_importer.js';
import { VFIO_DMABUF_WORDS } from '../../../src/drivers/vfio_dmabuf.js';
import { VFIO_DEVICE_WORDS } from '../../../src/drivers/vfio_device.js';
import { at, pick, run } from '../../fixtures/fence/oracle.js';
import { PAGES, PW, privWords } from '../../fixtures/drivers/priv_words.js';

describe('driver-private words', () => {
  it('each driver takes the words its constant says', async () => {
    for (const r of await run('inline', privWords, {}, 3)) {
      expect(r.end, at(r)).toBe('done');
      expect(pick(r, PW), at(r)).toEqual({
        VFIO: VFIO_DEVICE_WORDS + VFIO_DMABUF_WORDS + PAGES, ENGINE: DMA_ENGINE_WORDS, CONTEXT: DMA_ENGINE_CONTEXT_WORDS, IOPT: IOPT_PAGES_WORDS,
        GPU: GPU_IMPORTER_WORDS, LEGACY: LEGACY_IMPORTER_WORDS, RDMA: RDMA_PINNED_MR_WORDS,
      });
    }
  });
});
