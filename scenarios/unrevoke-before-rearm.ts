/**
 * S8 (buggy): un-revoke clears `revoked` before re-arming the kref; an importer re-mapping in that
 * window takes a reference on a zero kref, which the re-arm then forgets.
 * Expected: refcount-underflow (kref_get on 0).
 */
import { revokeScenario } from './lib/revoke.js';

export const unrevokeBeforeRearm = revokeScenario({
  name: 'unrevoke-before-rearm', module: import.meta.url, expect: 'refcount-underflow',
  description: 'un-revoke clears revoked, then re-arms kref/completion',
  knobs: { rearm: 'at-unrevoke', unrevoke: 'clear-first' }, after: 'unrevoke-revoke',
  params: { jobs: 3 },
});
