/**
 * S4 (buggy): the exporting driver is unbound (remove()) while importers still hold mappings; an
 * importer's later unmap reaches the exporter's unmap_dma_buf and the DMA API on a removed device.
 * Expected: use-after-remove.
 */
import { revokeScenario } from './lib/revoke.js';

export const removeBeforeUnmap = revokeScenario({
  name: 'remove-before-unmap', module: import.meta.url, expect: 'use-after-remove',
  description: 'remove() does not wait for importer unmaps',
  knobs: { remove: 'immediate' }, after: 'remove',
});
