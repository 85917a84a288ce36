/**
 * S20 fixed twin: the failed private map unpins (lock held) before detaching (unlocked).
 * Expected: clean. Revision 5 (lib/revoke.ts's iommufd 4 before): the VMM device's scheduling
 * points are dma-domain (lib/iommufd_user.ts), where they were dma, an engine job's op.
 */
import { revokeScenario } from './lib/revoke.js';

export const iommufdUnwind = revokeScenario({
  name: 'iommufd-unwind', module: import.meta.url, expect: 'clean',
  description: 'iopt_map_dmabuf unwind: unpin, then detach',
  knobs: {}, importer: 'iommufd', params: { importers: 1, delay: 1 },
  // 5: the device's DMA points are dma-domain, naming the domain (were dma, read as a job).
  revision: 5,
});
