/**
 * S7 (buggy, before May 2026): a revoke drained the registration reference; device close drains
 * again inline — the kref underflows and the wait for a completion nobody fires hangs.
 * Expected: refcount-underflow (and a hang).
 */
import { revokeScenario } from './lib/revoke.js';

export const doubleDrain = revokeScenario({
  name: 'double-drain', module: import.meta.url, expect: 'refcount-underflow',
  description: 'cleanup repeats the drain after a revoke (kref underflow, hang)',
  knobs: { rearm: 'at-unrevoke', cleanup: 'double-drain' }, after: 'cleanup',
});
