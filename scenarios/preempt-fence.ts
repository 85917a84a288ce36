/**
 * Fixed twin of preempt-fence-locked: the same preempt fence work on the same worker actor, without
 * the reservation lock (knob `worker`) — it queues the context's preemption on the engine's ring,
 * the engine signals the fence at the next job boundary, and the importer, which queues nothing
 * behind a preemption under way, re-arms under the resv lock before its next job. Expected: clean.
 * Revision 4: the worker actor, the `worker` knob (was `direct`: preempting from enable_signaling),
 * and jobs that publish no fences.
 */
import { revokeScenario } from './lib/revoke.js';

export const preemptFence = revokeScenario({
  name: 'preempt-fence', module: import.meta.url, expect: 'clean',
  description: 'preempt fence work on a worker without the resv lock; revoke waits BOOKKEEP',
  knobs: {}, preempt: 'worker', revision: 4,
});
