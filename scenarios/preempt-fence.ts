/**
 * Fixed twin of preempt-fence-locked: the preempt fence's enable_signaling queues the context's
 * preemption on the engine's ring itself (no lock), the engine signals it at the next job
 * boundary, and the importer re-arms under the resv lock before its next job. Expected: clean.
 */
import { revokeScenario } from './lib/revoke.js';

export const preemptFence = revokeScenario({
  name: 'preempt-fence', module: import.meta.url, expect: 'clean',
  description: 'preempt fence preempts from enable_signaling; revoke waits BOOKKEEP',
  knobs: {}, preempt: 'direct',
});
