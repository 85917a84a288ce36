/**
 * The revoke scenarios' parameter rules that concern iommufd importers (lib/revoke.ts): their
 * IOAS's `domains` and the `detach` of importer 0's first domain, which only iommufd importers
 * have (the other kinds reach the buffer through their engine context's one domain), and what
 * an iommufd importer's domains take of the IOMMU table and the driver-private words.
 */
import type { ParamRule, ParamRules } from '../../src/exec/param_rules.js';
import { IOPT_IOAS_WORDS } from '../../src/drivers/iommufd_ioas.js';
import { VFIO_DMABUF_WORDS } from '../../src/drivers/vfio_dmabuf.js';
import { VFIO_DEVICE_WORDS } from '../../src/drivers/vfio_device.js';
import { DMA_ENGINE_WORDS } from '../../src/drivers/dma_engine.js';
import { IOMMU_DOMAIN_WORDS } from '../../src/kernel/iommu_domain.js';
import { DEFAULT_GEOMETRY } from '../../src/shm/layout.js';

/** The parameters these rules read (a subset of lib/revoke.ts's RevokeParams). */
export interface IommufdParams { importers: number; pages: number; domains: number; detach: number }

/** `domains` and `detach` of importers of `kind` (not iommufd): 1 and 0, the engine context's one
 *  domain, never detached. */
export function engineDomainRules<P extends IommufdParams>(kind: string): ParamRules<P> {
  const why = `applies to iommufd importers only; a ${kind} importer reaches the buffer through its engine context's one domain`;
  return [
    { name: 'engine-domain', params: ['domains'], holds: (p) => p.domains === 1, expected: `domains = 1 (domains ${why})` },
    { name: 'engine-detach', params: ['detach'], holds: (p) => p.detach === 0, expected: `detach = 0 (detach ${why})` },
  ];
}

/**
 * The iommufd importers' rules: each domain of an importer's IOAS holds its own mapping of the
 * whole buffer in the IOMMU table and takes IOMMU_DOMAIN_WORDS driver-private words; `detach`
 * gives importer 0 an IOAS (IOPT_IOAS_WORDS) — `words`: an importer's with one domain; `free`:
 * the pool the importers and the pages share. Named as revokeRules names them.
 */
export function iommufdRules<P extends IommufdParams>(words: number, free: number): ParamRules<P> {
  const { iovas, privWords } = DEFAULT_GEOMETRY;
  const own = words - IOMMU_DOMAIN_WORDS;
  const iommu: ParamRule<P> = {
    name: 'iommu-entries', params: ['importers', 'pages', 'domains'], holds: (p) => p.importers * p.domains * p.pages <= iovas,
    expected: `importers × domains × pages ≤ ${iovas} (every domain holds its own mapping of the whole buffer; the arena has ${iovas} IOMMU entries)`,
  };
  const priv: ParamRule<P> = {
    name: 'private-words', params: ['importers', 'pages', 'domains', 'detach'],
    holds: (p) => (own + IOMMU_DOMAIN_WORDS * p.domains) * p.importers + IOPT_IOAS_WORDS * p.detach + p.pages <= free,
    expected: `(${own} + ${IOMMU_DOMAIN_WORDS} × domains) × importers + ${IOPT_IOAS_WORDS} × detach + pages ≤ ${free} (the arena's ${privWords} driver-private words: ${own} per iommufd importer and ${IOMMU_DOMAIN_WORDS} per domain of its IOAS, ${IOPT_IOAS_WORDS} for the IOAS importer 0 detaches from, ${VFIO_DEVICE_WORDS} for the VFIO device, ${VFIO_DMABUF_WORDS} + pages for its buffer, ${DMA_ENGINE_WORDS} for the engine)`,
  };
  return [iommu, priv];
}
