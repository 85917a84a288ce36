/**
 * irq_work (kernel/irq_work.c, non-RT), as the fence containers use it: work a fence callback
 * queues while the signalling fence's spinlock is held — signalling the container would take the
 * container's lock inside the child's, the lock order the kernel avoids with irq_work — runs in
 * the same task as the interrupt irq_work_queue raises on its own CPU: as soon as interrupts are
 * on, whatever spinlock the task holds (the fence lock is taken irqsave, so that is once its
 * spin_unlock_irqrestore turns them on again). Queued with interrupts on, the work runs at once;
 * queued with them off or in a handler, once they are on again outside hardirq (hardirq.ts:
 * local_irq_restore / _enable, hardirq_exit, the return from a sleep). Either way it runs in
 * hardirq context, as the kernel's irq_work does: in_hardirq() and in_atomic() hold while it
 * runs (hardirq.ts irqWorkRun), so a function that may sleep called from it is still
 * SLEEP_IN_ATOMIC — a wait belongs in a worker (schedule_work), not here — and a lock it takes
 * is HARDIRQ-safe for lockdep (lockdep_irq.ts).
 *
 * Context: any task; the work must not sleep (it runs inside a kernel call, never at a yield).
 */
import { irqsOnPoint } from './hardirq.js';
import type { Task } from './task.js';

/** irq_work_queue: run `work` once `t` has interrupts on (now, if it has), in hardirq context;
 *  an RCU callback it queues runs once `t` is preemptible, as after any interrupt
 *  (hardirq.ts irqsOnPoint). */
export function irq_work_queue(t: Task, work: () => void): void {
  t.irqWork.push(work);
  irqsOnPoint(t);
}
