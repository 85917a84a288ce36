/**
 * S20 fixed twin: the failed private map unpins (lock held) before detaching (unlocked).
 * Expected: clean. Revision 5: lib/revoke.ts's iommufd revision (the VMM device's scheduling
 * points are dma-domain, lib/iommufd_user.ts).
 */
import { revokeScenario } from './lib/revoke.js';

export const iommufdUnwind = revokeScenario({
  name: 'iommufd-unwind', module: import.meta.url, expect: 'clean',
  description: 'iopt_map_dmabuf unwind: unpin, then detach',
  knobs: {}, importer: 'iommufd', params: { importers: 1, delay: 1 },
});
