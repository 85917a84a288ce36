/**
 * S20 (buggy): iommufd maps a VFIO dma-buf while VFIO revokes; the private map fails (-ENODEV)
 * after a successful pin and the unwind forgets the unpin, so the attachment is detached pinned.
 * Expected: leak. Revision 5: lib/revoke.ts's iommufd revision (the VMM device's scheduling
 * points are dma-domain, lib/iommufd_user.ts).
 */
import { revokeScenario } from './lib/revoke.js';

export const iommufdUnwindLeak = revokeScenario({
  name: 'iommufd-unwind-leak', module: import.meta.url, expect: 'leak',
  description: 'iopt_map_dmabuf unwinds without dma_buf_unpin',
  knobs: {}, importer: 'iommufd', iommufd: { unwind: 'skip-unpin' }, params: { importers: 1, delay: 1 },
});
