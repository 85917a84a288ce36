/**
 * S18 fixed twin: invalidation under the reservation lock (the documented contract). Expected: clean.
 */
import { revokeScenario } from './lib/revoke.js';

export const invalidateUnderLock = revokeScenario({
  name: 'invalidate-under-lock', module: import.meta.url, expect: 'clean',
  description: 'dma_buf_invalidate_mappings with the resv lock held',
  knobs: {},
});
