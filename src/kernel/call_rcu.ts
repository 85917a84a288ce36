/**
 * call_rcu (kernel/rcu/tree.c), as the model's one user needs it: dma_fence_free is kfree_rcu, so
 * a fence row goes back to the allocator only after a grace period. The model sees one task's
 * side of it: a task inside a spinlock (preempt count), in hardirq or with interrupts off is in
 * an RCU read-side section of the non-preemptible kernel and holds the grace period off, so a
 * callback queued then runs once the task is preemptible() again (preempt.ts) — at the
 * spin_unlock, hardirq_exit, local_irq_restore or the return from schedule that makes it so —
 * and at once when queued there. Callbacks run in queue order, in the task's own context (no
 * softirq in the model); one queued while they run waits for those before it.
 *
 * Not irq_work (irq_work.ts), which runs as soon as interrupts are on, under a spinlock too.
 * Context: the calling task's own queue (Task.rcuWork, dropped at a trial's start); a callback
 * must not sleep.
 */
import { preemptible } from './preempt.js';
import type { Task } from './task.js';

/** call_rcu: run `fn` once `t` is preemptible (now, if it is and nothing queued is waiting). */
export function call_rcu(t: Task, fn: () => void): void {
  t.rcuWork.push(fn);
  rcuQuiescent(t);
}

/** `t` may have passed a quiescent state (it holds no spinlock, is not in hardirq and has
 *  interrupts on): run the callbacks queued meanwhile, in order, while that still holds. */
export function rcuQuiescent(t: Task): void {
  for (let fn = t.rcuWork[0]; fn !== undefined && preemptible(t); fn = t.rcuWork[0]) {
    t.rcuWork.shift();
    fn();
  }
}
