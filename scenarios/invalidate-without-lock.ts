/**
 * S18 (buggy): the exporter calls dma_buf_invalidate_mappings after dropping the reservation lock,
 * so importers' callbacks race with mapping. Expected: lock-not-held.
 */
import { revokeScenario } from './lib/revoke.js';

export const invalidateWithoutLock = revokeScenario({
  name: 'invalidate-without-lock', module: import.meta.url, expect: 'lock-not-held',
  description: 'dma_buf_invalidate_mappings called without the resv lock',
  knobs: { invalidate: 'unlocked' },
});
