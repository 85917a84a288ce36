/**
 * S4 (buggy): the exporting driver is unbound (remove()) while importers still hold mappings; an
 * importer's later unmap reaches the exporter's unmap_dma_buf and the DMA API on a removed device.
 * Expected: use-after-remove.
 * Revision 3: remove() reads the device's buffer list under vdev->memory_lock, a scheduling point
 * revision 2 schedules lack (its fixed twin already took the lock for the cleanup there). Revision 4:
 * the gpu entries' revision 3 (lib/revoke.ts) on top of that.
 */
import { revokeScenario } from './lib/revoke.js';

export const removeBeforeUnmap = revokeScenario({
  name: 'remove-before-unmap', module: import.meta.url, expect: 'use-after-remove',
  description: 'remove() does not wait for importer unmaps',
  knobs: { remove: 'immediate' }, after: 'remove', revision: 4,
});
