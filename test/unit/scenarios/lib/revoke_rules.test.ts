// The revoke scenarios' private-word rule counts the words drivers take from the driver-private
// pool and nothing else: the modules' reference counts live in the arena's module table (as the
// kernel keeps them in struct module), so the VFIO export's reference on its module takes none.
// For every importer kind the edge is the pool less the VFIO device's, its buffer's and the engine's words,
// checked on the rule itself (at this arena's size other limits bind first for some kinds), found
// by its name (the IOMMU-entry rule reads the same parameters); an iommufd importer's words grow
// by a domain's with each domain of its IOAS.
import { describe, expect, it } from 'vitest';
import { DMA_ENGINE_CONTEXT_WORDS, DMA_ENGINE_WORDS } from '../../../../src/drivers/dma_engine.js';
import { GPU_IMPORTER_WORDS } from '../../../../src/drivers/gpu_importer.js';
import { IOPT_PAGES_WORDS } from '../../../../src/drivers/iommufd_pages.js';
import { IOPT_TRACK_MAX } from '../../../../src/drivers/iommufd_tracker.js';
import { IOPT_IOAS_WORDS } from '../../../../src/drivers/iommufd_ioas.js';
import { IOMMU_DOMAIN_WORDS } from '../../../../src/kernel/iommu_domain.js';
import { LEGACY_IMPORTER_WORDS } from '../../../../src/drivers/legacy_importer.js';
import { RDMA_PINNED_MR_WORDS } from '../../../../src/drivers/rdma_importer.js';
import { VFIO_DMABUF_WORDS } from '../../../../src/drivers/vfio_dmabuf.js';
import { VFIO_DEVICE_WORDS } from '../../../../src/drivers/vfio_device.js';
import type { AnyScenario } from '../../../../src/exec/scenario.js';
import { DEFAULT_GEOMETRY } from '../../../../src/shm/layout.js';
import { ruleNamed, ruleOver } from '../../../support/param_rule.js';
import { iommufdUnwind } from '../../../../scenarios/iommufd-unwind.js';
import { legacyImporterRevoke } from '../../../../scenarios/legacy-importer-revoke.js';
import { rdmaPinnedRevoke } from '../../../../scenarios/rdma-pinned-revoke.js';
import { revokeWaitBookkeep } from '../../../../scenarios/revoke-wait-bookkeep.js';

const FREE = DEFAULT_GEOMETRY.privWords - VFIO_DEVICE_WORDS - VFIO_DMABUF_WORDS - DMA_ENGINE_WORDS;

describe.each([
  ['gpu', revokeWaitBookkeep, GPU_IMPORTER_WORDS, 1],
  ['legacy', legacyImporterRevoke, LEGACY_IMPORTER_WORDS, 1],
  ['rdma', rdmaPinnedRevoke, RDMA_PINNED_MR_WORDS, 1],
  ['iommufd', iommufdUnwind, IOPT_PAGES_WORDS + IOMMU_DOMAIN_WORDS, 1],
  ['iommufd', iommufdUnwind, IOPT_PAGES_WORDS + IOPT_TRACK_MAX * IOMMU_DOMAIN_WORDS, IOPT_TRACK_MAX],
] as [string, AnyScenario, number, number][])('the revoke private-word rule with %s importers of %#', (_kind, s, own, domains) => {
  it('leaves the whole pool but the VFIO device\'s and buffer\'s and the engine\'s words to the importers and the pages', () => {
    expect(s.modules).toHaveLength(3);
    const perImporter = DMA_ENGINE_CONTEXT_WORDS + own;
    const priv = ruleNamed(s, 'private-words');
    expect(priv.params.slice(0, 2)).toEqual(['importers', 'pages']);
    const holds = (pages: number): boolean => priv.holds({ ...s.params, importers: 1, pages, domains });
    expect([holds(FREE - perImporter), holds(FREE - perImporter + 1)]).toEqual([true, false]);
  });
});

describe('the revoke private-word rule with detach', () => {
  it('counts importer 0\'s IOAS when it detaches, and nothing for it otherwise', () => {
    const priv = ruleOver(iommufdUnwind, ['importers', 'pages', 'domains', 'detach']);
    const own = DMA_ENGINE_CONTEXT_WORDS + IOPT_PAGES_WORDS + IOMMU_DOMAIN_WORDS;
    const holds = (pages: number, detach: number): boolean => priv.holds({ ...iommufdUnwind.params, importers: 1, pages, domains: 1, detach });
    const edge = FREE - own - IOPT_IOAS_WORDS;
    expect([holds(edge, 1), holds(edge + 1, 1), holds(edge + 1, 0)]).toEqual([true, false, true]);
  });
});

describe('the revoke IOMMU-entry rule with iommufd importers', () => {
  it('counts a mapping of the whole buffer per domain of every importer\'s IOAS', () => {
    const iommu = ruleOver(iommufdUnwind, ['importers', 'pages', 'domains']);
    const holds = (importers: number, domains: number, pages: number): boolean => iommu.holds({ ...iommufdUnwind.params, importers, domains, pages });
    const { iovas } = DEFAULT_GEOMETRY;
    expect([holds(1, IOPT_TRACK_MAX, iovas / IOPT_TRACK_MAX), holds(1, IOPT_TRACK_MAX, iovas / IOPT_TRACK_MAX + 1)]).toEqual([true, false]);
    expect([holds(2, 2, iovas / 4), holds(2, 2, iovas / 4 + 1)]).toEqual([true, false]);
  });
});
