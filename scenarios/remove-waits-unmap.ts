/**
 * S4 fixed twin: remove() revokes and waits for every unmap before unbinding. Expected: clean.
 */
import { revokeScenario } from './lib/revoke.js';

export const removeWaitsUnmap = revokeScenario({
  name: 'remove-waits-unmap', module: import.meta.url, expect: 'clean',
  description: 'remove() revokes and waits for all unmaps first',
  knobs: {}, after: 'remove',
});
