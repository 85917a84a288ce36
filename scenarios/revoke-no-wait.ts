/**
 * S2 (buggy, 6.19 VFIO): revoke returns right after move_notify — no fence wait, no unmap wait.
 * Expected: use-after-revoke.
 */
import { revokeScenario } from './lib/revoke.js';

export const revokeNoWait = revokeScenario({
  name: 'revoke-no-wait', module: import.meta.url, expect: 'use-after-revoke',
  description: 'revoke does not wait after invalidating (6.19)',
  knobs: { revokeWait: 'none', unmapWait: 'none' },
});
