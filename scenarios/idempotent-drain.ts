/**
 * S7 fixed twin: cleanup calls the idempotent move(true), and the revoke re-arms kref and
 * completion after draining. Expected: clean.
 */
import { revokeScenario } from './lib/revoke.js';

export const idempotentDrain = revokeScenario({
  name: 'idempotent-drain', module: import.meta.url, expect: 'clean',
  description: 'cleanup is the idempotent move(true); re-arm after drain',
  knobs: {}, after: 'cleanup',
});
