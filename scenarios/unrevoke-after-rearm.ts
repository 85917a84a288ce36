/**
 * S8 fixed twin: un-revoke re-arms kref and completion before clearing `revoked`. Expected: clean.
 */
import { revokeScenario } from './lib/revoke.js';

export const unrevokeAfterRearm = revokeScenario({
  name: 'unrevoke-after-rearm', module: import.meta.url, expect: 'clean',
  description: 'un-revoke re-arms kref/completion first',
  knobs: { rearm: 'at-unrevoke', unrevoke: 'rearm-first' }, after: 'unrevoke-revoke',
  params: { jobs: 3 },
});
