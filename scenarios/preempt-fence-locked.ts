/**
 * A preempt fence whose preemption work takes the reservation lock (src/drivers/preempt_fence.ts,
 * knob `locked`): the importer's jobs publish no fences (a long-running context), so the final
 * revoke waits BOOKKEEP — for the preempt fence — with the resv lock held; its wait enables
 * signalling, which queues the work to the driver's worker, and the work waits for the lock the
 * revoke holds. Expected: deadlock (revoke → preempt fence → worker → resv lock → revoke); lockdep
 * reports the same as circular-locking (the work takes the lock in a fence signalling section).
 * Revision 4: the work runs on a worker actor of its own (it ran on the importer's actor, whose
 * own resv locking deadlocked the revoke without the bug), and jobs publish no fences.
 */
import { revokeScenario } from './lib/revoke.js';

export const preemptFenceLocked = revokeScenario({
  name: 'preempt-fence-locked', module: import.meta.url, expect: 'deadlock',
  description: 'preempt fence work takes the resv lock a BOOKKEEP revoke holds',
  knobs: {}, preempt: 'locked', revision: 4,
});
