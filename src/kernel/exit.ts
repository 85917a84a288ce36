/**
 * The task's exit before its task work runs (kernel/exit.c make_task_dead, do_exit,
 * synchronize_group_exit; kernel/entry/common.c syscall_exit_to_user_mode_work): on every kernel
 * path a task that leaves its code with interrupts disabled gets them enabled before any queued
 * task work runs — make_task_dead prints "note: ... exited with irqs disabled" and calls
 * local_irq_enable() before do_exit; do_exit's WARN_ON(irqs_disabled()) comes before
 * synchronize_group_exit's spin_unlock_irq, long before exit_task_work; a syscall returning so is
 * syscall_exit_to_user_mode_work's WARN "syscall %lu left IRQs disabled" and local_irq_enable(),
 * before the exit-to-user loop runs task work. The model reports it once, as EXITED_IRQS_DISABLED
 * (titled after make_task_dead's note), and enables interrupts through hardirq.ts
 * local_irq_enable, titled after do_exit: lockdep_hardirqs_on marks every lock still held
 * HARDIRQ-unsafe (lockdep_irq.ts lockdepHardirqsOn), as the kernel's local_irq_enable does — a
 * spinlock taken irqsave and left held is HARDIRQ-ON-W from here, an inconsistent state if it was
 * used in hardirq —, and irq_work queued meanwhile runs once the task is preemptible.
 *
 * Only interrupts: the preempt count stays, as do_exit and the syscall exit leave it (only the
 * oops path, make_task_dead, resets it, with its own "exited with preempt_count" note, which the
 * model has no use for: an actor's return is no oops). A spinlock still held at exit keeps the
 * task atomic, so work that sleeps then is SLEEP_IN_ATOMIC as the kernel's might_sleep prints it,
 * and the held locks are LOCK_HELD_AT_EXIT after the work (exec/resume.ts finishActor, as
 * debug_check_no_locks_held follows exit_task_work and lockdep_sys_exit the exit-to-user loop).
 * An actor that ends in hardirq context is left alone: the kernel panics there ("Aiee, killing
 * interrupt handler!"), which the model does not model, and enabling interrupts in a handler
 * would be a finding of the model's own making.
 */
import { local_irq_enable } from './hardirq.js';
import { in_hardirq, local_irqs_off } from './preempt.js';
import type { Task } from './task.js';
import { siteId } from './warn.js';

const SITE_EXIT = siteId('do_exit');

/**
 * Called once, when the code of `t` returns (kernel/task_work.ts task_step), before its pending
 * task work runs: interrupts left disabled are EXITED_IRQS_DISABLED, then on again (see above).
 * Context: `t` itself; never sleeps, no scheduling point.
 */
export function exit_irqs_on(t: Task): void {
  if (!local_irqs_off(t)) return;
  t.warn('EXITED_IRQS_DISABLED', 0);
  if (!in_hardirq(t)) local_irq_enable(t, SITE_EXIT);
}

/**
 * Called once, after the task work of `t`'s exit ran (exec/resume.ts finishActor): interrupts a
 * work left disabled are EXITED_IRQS_DISABLED too — the kernel's next might_sleep in do_exit after
 * exit_task_work (perf_event_exit_task's mutex_lock) prints them — and stay off (the task is
 * done). The code's own were turned on by exit_irqs_on; a task in hardirq context was reported
 * there, its interrupts left off, and is not reported again. Context: `t` itself.
 */
export function exit_irqs_left(t: Task): void {
  if (local_irqs_off(t) && !in_hardirq(t)) t.warn('EXITED_IRQS_DISABLED', 0);
}
