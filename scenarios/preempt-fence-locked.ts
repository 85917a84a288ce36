/**
 * A preempt fence whose preemption work takes the reservation lock (src/drivers/preempt_fence.ts,
 * knob `locked`): the final revoke waits BOOKKEEP with the resv lock held, its wait enables
 * signalling on the GPU importer's preempt fence, and the work that would preempt the context
 * waits for the lock the revoke holds. Expected: deadlock (revoke → preempt fence → importer →
 * resv lock → revoke).
 */
import { revokeScenario } from './lib/revoke.js';

export const preemptFenceLocked = revokeScenario({
  name: 'preempt-fence-locked', module: import.meta.url, expect: 'deadlock',
  description: 'preempt fence work takes the resv lock a BOOKKEEP revoke holds',
  knobs: {}, preempt: 'locked',
});
