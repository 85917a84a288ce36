// The revoke scenarios' private-word rule counts the words drivers take from the driver-private
// pool and nothing else: the modules' reference counts live in the arena's module table (as the
// kernel keeps them in struct module), so the VFIO export's reference on its module takes none.
// For every importer kind the edge is the pool less the VFIO device's, its buffer's and the engine's words,
// checked on the rule itself (at this arena's size other limits bind first for some kinds).
import { describe, expect, it } from 'vitest';
import { DMA_ENGINE_CONTEXT_WORDS, DMA_ENGINE_WORDS } from '../../../../src/drivers/dma_engine.js';
import { GPU_IMPORTER_WORDS } from '../../../../src/drivers/gpu_importer.js';
import { IOPT_PAGES_WORDS } from '../../../../src/drivers/iommufd_importer.js';
import { IOMMU_DOMAIN_WORDS } from '../../../../src/kernel/iommu_domain.js';
import { LEGACY_IMPORTER_WORDS } from '../../../../src/drivers/legacy_importer.js';
import { RDMA_PINNED_MR_WORDS } from '../../../../src/drivers/rdma_importer.js';
import { VFIO_DMABUF_WORDS } from '../../../../src/drivers/vfio_dmabuf.js';
import { VFIO_DEVICE_WORDS } from '../../../../src/drivers/vfio_device.js';
import type { AnyScenario } from '../../../../src/exec/scenario.js';
import { DEFAULT_GEOMETRY } from '../../../../src/shm/layout.js';
import { iommufdUnwind } from '../../../../scenarios/iommufd-unwind.js';
import { legacyImporterRevoke } from '../../../../scenarios/legacy-importer-revoke.js';
import { rdmaPinnedRevoke } from '../../../../scenarios/rdma-pinned-revoke.js';
import { revokeWaitBookkeep } from '../../../../scenarios/revoke-wait-bookkeep.js';

const FREE = DEFAULT_GEOMETRY.privWords - VFIO_DEVICE_WORDS - VFIO_DMABUF_WORDS - DMA_ENGINE_WORDS;

describe.each([
  ['gpu', revokeWaitBookkeep, GPU_IMPORTER_WORDS],
  ['legacy', legacyImporterRevoke, LEGACY_IMPORTER_WORDS],
  ['rdma', rdmaPinnedRevoke, RDMA_PINNED_MR_WORDS],
  ['iommufd', iommufdUnwind, IOPT_PAGES_WORDS + IOMMU_DOMAIN_WORDS],
] as [string, AnyScenario, number][])('the revoke private-word rule with %s importers', (_kind, s, own) => {
  it('leaves the whole pool but the VFIO device\'s and buffer\'s and the engine\'s words to the importers and the pages', () => {
    expect(s.modules).toHaveLength(3);
    const perImporter = DMA_ENGINE_CONTEXT_WORDS + own;
    const priv = s.paramRules!.at(-1)!;
    expect(priv.params).toEqual(['importers', 'pages']);
    const holds = (pages: number): boolean => priv.holds({ ...s.params, importers: 1, pages });
    expect([holds(FREE - perImporter), holds(FREE - perImporter + 1)]).toEqual([true, false]);
  });
});
