/**
 * irq_work (kernel/irq_work.c), as the fence containers use it: work a fence callback queues
 * while the signalling fence's spinlock is held — signalling the container would take the
 * container's lock inside the child's, the lock order the kernel avoids with irq_work — runs
 * in the same task once it holds no spinlock any more (spin_unlock drains the queue), the
 * model's "interrupts enabled again". Queued outside any spinlock, the work runs at once.
 * Either way it runs in hardirq context, as the kernel's irq_work does: in_hardirq() and
 * in_atomic() hold while it runs (hardirq.ts irqWorkRun), so a function that may sleep called
 * from it is still SLEEP_IN_ATOMIC — a wait belongs in a worker (schedule_work), not here — and a
 * lock it takes is HARDIRQ-safe for lockdep (lockdep_irq.ts). "No spinlock" means preemptible():
 * queued with interrupts off or in a handler, it runs once they are on again (hardirq.ts).
 *
 * Context: any task; the work must not sleep (it runs inside a kernel call, never at a yield).
 */
import { irqWorkRun } from './hardirq.js';
import { preemptible } from './preempt.js';
import type { Task } from './task.js';

/** irq_work_queue: run `work` once `t` is preemptible (now, if it is), in hardirq context. */
export function irq_work_queue(t: Task, work: () => void): void {
  t.irqWork.push(work);
  if (preemptible(t)) irqWorkRun(t);
}
