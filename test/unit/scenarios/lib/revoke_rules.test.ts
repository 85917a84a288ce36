// The revoke scenarios' private-word rule counts every word taken from the driver-private pool,
// the trial's module reference words included (module_ref.ts): the VFIO export's reference on its
// module (dma_buf_export's try_module_get of the owner) allocates them once per trial — one per
// loaded module — whatever the importers' kind. The edge is checked on the rule itself, with
// iommufd importers: at this arena's size the IOMMU-entry and page limits bind first.
import { describe, expect, it } from 'vitest';
import { DMA_ENGINE_CONTEXT_WORDS, DMA_ENGINE_WORDS } from '../../../../src/drivers/dma_engine.js';
import { IOPT_PAGES_WORDS } from '../../../../src/drivers/iommufd_importer.js';
import { VFIO_DMABUF_WORDS } from '../../../../src/drivers/vfio_dmabuf.js';
import { moduleRefWords } from '../../../../src/kernel/module/module_ref.js';
import { DEFAULT_GEOMETRY } from '../../../../src/shm/layout.js';
import { iommufdUnwind } from '../../../../scenarios/iommufd-unwind.js';

describe('the revoke private-word rule with iommufd importers', () => {
  it('leaves room for the module reference words of the three modules loaded', () => {
    expect(iommufdUnwind.modules).toHaveLength(3);
    const free = DEFAULT_GEOMETRY.privWords - VFIO_DMABUF_WORDS - DMA_ENGINE_WORDS - moduleRefWords(3);
    const perImporter = DMA_ENGINE_CONTEXT_WORDS + IOPT_PAGES_WORDS;
    const priv = iommufdUnwind.paramRules!.at(-1)!;
    expect(priv.params).toEqual(['importers', 'pages']);
    const holds = (pages: number): boolean => priv.holds({ ...iommufdUnwind.params, importers: 1, pages });
    expect([holds(free - perImporter), holds(free - perImporter + 1)]).toEqual([true, false]);
  });
});
