/**
 * schedule_debug (kernel/sched/core.c): __schedule's check that the task entering the scheduler
 * is not atomic. A call that schedules without announcing it with might_sleep — msleep and
 * usleep_range reach schedule() through schedule_timeout / schedule_hrtimeout_range — made while
 * the task holds a spinlock or runs in hardirq context (the model's in_atomic(), preempt.ts: the
 * kernel's in_atomic_preempt_off() reads preempt_count only, so interrupts disabled alone are no
 * report here) is "BUG: scheduling while
 * atomic" (__schedule_bug: SCHEDULE_WHILE_ATOMIC, kind assertion), titled after that call. The
 * kernel prints it and schedules anyway, and so does the model. A call that makes might_sleep
 * first reports SLEEP_IN_ATOMIC instead (might_sleep.ts): the model's other sleeping calls do.
 *
 * Cost: one read of the task's own A_SPIN word.
 */
import { in_atomic } from './preempt.js';
import type { Task } from './task.js';
import { siteId } from './warn.js';

/**
 * schedule_debug: report SCHEDULE_WHILE_ATOMIC titled after `fn` (the call about to schedule)
 * when `t` is in_atomic(). Context: any task, right before the call's scheduling point; never
 * sleeps, changes nothing but the findings.
 */
export function schedule_debug(t: Task, fn: string): void {
  if (in_atomic(t)) t.warn('SCHEDULE_WHILE_ATOMIC', 0, siteId(fn));
}
