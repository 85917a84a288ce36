/**
 * might_sleep (include/linux/kernel.h, kernel/sched/core.c __might_sleep → __might_resched): the
 * annotation a function that may sleep makes on entry, whether or not it sleeps this time. Called
 * where the task is not preemptible — it holds a spinlock (A_SPIN, spinlock.ts), e.g. inside a
 * fence callback, which runs under the fence lock, runs in hardirq context (counted in A_SPIN), or
 * has interrupts disabled (A_IRQS_OFF: __might_resched's irqs_disabled() test) — it is the kernel's
 * "BUG: sleeping function called from invalid context" (SLEEP_IN_ATOMIC, kind assertion), titled
 * after the function that may sleep, so mutex_lock, dma_fence_wait_timeout, wait_for_completion,
 * might_alloc … are findings of their own. The kernel prints it and goes on (it is a WARN-like
 * report, not a BUG()), and so does the model.
 *
 * Callers: the mutex/ww_mutex lock paths (mutex_lock_common.ts lockCommon), dma_fence_wait_timeout
 * and cond_resched (dma_fence_wait.ts), wait_event / wait_for_completion (kref.ts), and might_alloc
 * for a gfp that allows blocking (lockdep_map.ts). msleep and usleep_range make none in the kernel:
 * theirs is schedule_debug's "scheduling while atomic" (schedule_debug.ts). Not modelled:
 * preempt_disable and rcu_read_lock sections (the model has none), and the once-per-jiffy ratelimit
 * of the report.
 *
 * Cost: two reads of the task's own words (A_SPIN, A_IRQS_OFF: one cache line) when it is
 * preemptible.
 */
import { preemptible } from './preempt.js';
import type { Task } from './task.js';
import { siteId } from './warn.js';

/**
 * might_sleep: report SLEEP_IN_ATOMIC on `obj` (0: none), titled after `fn` (the function that
 * may sleep; the report's call site), when `t` is not preemptible (a spinlock held, hardirq,
 * interrupts off). Context: any task; never sleeps,
 * is no scheduling point, changes nothing but the findings.
 */
export function might_sleep(t: Task, fn = 'might_sleep', obj = 0): void {
  if (!preemptible(t)) t.warn('SLEEP_IN_ATOMIC', obj, siteId(fn));
}
