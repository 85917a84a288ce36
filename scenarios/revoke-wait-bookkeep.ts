/**
 * Fixed twin of S1 and S2 (final series): revoke waits for every fence (BOOKKEEP) and then for
 * every importer unmap before it returns. Expected: clean.
 */
import { revokeScenario } from './lib/revoke.js';

export const revokeWaitBookkeep = revokeScenario({
  name: 'revoke-wait-bookkeep', module: import.meta.url, expect: 'clean',
  description: 'revoke waits BOOKKEEP fences, then all unmaps (final)',
  knobs: {},
});
