/**
 * The task's exit before its task work runs (kernel/exit.c do_exit, synchronize_group_exit,
 * make_task_dead; kernel/entry/common.c syscall_exit_to_user_mode_work): on every kernel path a
 * task that leaves its code with interrupts disabled gets them enabled before any queued task work
 * runs. An actor's return is a kernel thread's (kthread_exit → do_exit) or a syscall's: do_exit
 * starts with WARN_ON(irqs_disabled()), then synchronize_group_exit's spin_unlock_irq turns them
 * on, long before exit_task_work; a syscall returning so is syscall_exit_to_user_mode_work's WARN
 * "syscall %lu left IRQs disabled" and local_irq_enable(), before the exit-to-user loop runs task
 * work; only the oops path, make_task_dead, prints "note: ... exited with irqs disabled" (and
 * enables them) before its do_exit. The model reports it once, as EXITED_IRQS_DISABLED — its
 * condition the oops path's words, which name the state; the return path's WARN_ON prints no text
 * of its own, so the title stays (former_titles.ts) — and enables interrupts through hardirq.ts
 * local_irq_enable, titled after do_exit: lockdep_hardirqs_on marks every lock still held
 * HARDIRQ-unsafe (lockdep_irq.ts lockdepHardirqsOn), as the kernel's local_irq_enable does — a
 * spinlock taken irqsave and left held is HARDIRQ-ON-W from here, an inconsistent state if it was
 * used in hardirq —, irq_work queued meanwhile runs then (irq_work.ts) and RCU callbacks once the
 * task is preemptible (call_rcu.ts).
 *
 * Only interrupts: the preempt count stays, as do_exit and the syscall exit leave it (only the
 * oops path, make_task_dead, resets it, with its own "exited with preempt_count" note, which the
 * model has no use for: an actor's return is no oops). A spinlock still held at exit keeps the
 * task atomic, so work that sleeps then is SLEEP_IN_ATOMIC as the kernel's might_sleep prints it,
 * and the held locks are LOCK_HELD_AT_EXIT after the work (exec/resume.ts finishActor, as
 * debug_check_no_locks_held follows exit_task_work and lockdep_sys_exit the exit-to-user loop).
 *
 * An actor whose code returns in hardirq context — a hardirq_enter it never left — is
 * EXITED_IN_INTERRUPT, reported first. On current kernels (since 5.17) the return path has no
 * in_interrupt() check: do_exit's WARN_ON(irqs_disabled()) fires (a handler runs with interrupts
 * off), synchronize_group_exit's spin_unlock_irq is lockdep's interrupts-on-in-hardirq warning,
 * and the exit then sleeps in atomic context — "sleeping function called from invalid context"
 * at its first might_sleep, "scheduling while atomic" at the final schedule. Older kernels
 * panicked in do_exit ("Aiee, killing interrupt handler!"), as make_task_dead, the oops path,
 * still does. The kernel's reports all have the one cause, so the model makes one finding of it
 * (its condition the model's own words: no kernel path prints them) and does not cascade: it ends
 * the handler for the task — every level left, as irq_exit leaves it (hardirq.ts hardirq_exit:
 * the irq_work queued in the handler runs then, whatever spinlock is held) — and the exit goes on
 * from process context as the same code's would had it left the handler: interrupts disabled
 * before it entered are EXITED_IRQS_DISABLED and go on, queued task work runs, locks still held
 * (the handler's too) are LOCK_HELD_AT_EXIT, and the trial's leak checks see what the task and
 * its work left — none of it of the model's own making (no interrupts enabled in a handler, no
 * task work run in one).
 */
import { hardirq_exit, local_irq_enable } from './hardirq.js';
import { in_hardirq, local_irqs_off } from './preempt.js';
import type { Task } from './task.js';
import { siteId } from './warn.js';

const SITE_EXIT = siteId('do_exit');

/**
 * Called once, when the code of `t` returns (kernel/task_work.ts task_step), before its pending
 * task work runs: a task in hardirq context is EXITED_IN_INTERRUPT and leaves it; interrupts left
 * disabled are EXITED_IRQS_DISABLED, then on again (see above). Afterwards `t` is preemptible
 * unless it holds a spinlock. Context: `t` itself; never sleeps, no scheduling point.
 */
export function exit_irqs_on(t: Task): void {
  if (in_hardirq(t)) {
    t.warn('EXITED_IN_INTERRUPT', 0);
    while (in_hardirq(t)) hardirq_exit(t);
  }
  if (!local_irqs_off(t)) return;
  t.warn('EXITED_IRQS_DISABLED', 0);
  local_irq_enable(t, SITE_EXIT);
}

/**
 * Called once, after the task work of `t`'s exit ran (exec/resume.ts finishActor): interrupts a
 * work left disabled are EXITED_IRQS_DISABLED too — the kernel's next might_sleep in do_exit after
 * exit_task_work (perf_event_exit_task's mutex_lock) prints them — and stay off (the task is
 * done). The code's own were turned on by exit_irqs_on. A hardirq level a work left open is not
 * reported as EXITED_IN_INTERRUPT: exit_task_work runs after do_exit's WARN_ON (and after the
 * older kernels' in_interrupt() check), and the level counts in LOCK_HELD_AT_EXIT as a held
 * spinlock does. Context: `t` itself.
 */
export function exit_irqs_left(t: Task): void {
  if (local_irqs_off(t) && !in_hardirq(t)) t.warn('EXITED_IRQS_DISABLED', 0);
}
