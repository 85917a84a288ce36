/**
 * might_sleep (include/linux/kernel.h, kernel/sched/core.c __might_sleep → __might_resched): the
 * annotation a function that may sleep makes on entry, whether or not it sleeps this time. Called
 * in atomic context — the model's in_atomic(): the task holds a spinlock (A_SPIN, spinlock.ts),
 * e.g. inside a fence callback, which runs under the fence lock, or runs in hardirq context or
 * with interrupts disabled (hardirq.ts counts both in A_SPIN) — it is the kernel's "BUG:
 * sleeping function called from invalid context" (SLEEP_IN_ATOMIC, kind assertion), titled after
 * the function that may sleep, so mutex_lock, dma_fence_wait_timeout, wait_for_completion,
 * might_alloc … are findings of their own. The kernel prints it and goes on (it is a WARN-like
 * report, not a BUG()), and so does the model.
 *
 * Callers: the mutex/ww_mutex lock paths (ww_mutex.ts lockCommon), dma_fence_wait_timeout and
 * cond_resched (dma_fence_wait.ts), wait_event / wait_for_completion (kref.ts), and might_alloc
 * for a gfp that allows blocking (lockdep_map.ts). msleep and usleep_range make none in the kernel:
 * theirs is schedule_debug's "scheduling while atomic" (schedule_debug.ts). Not modelled: preempt_disable and
 * rcu_read_lock sections (the model has none), and the once-per-jiffy ratelimit of the report.
 *
 * Cost: one read of the task's own A_SPIN word while the task holds no spinlock.
 */
import { in_atomic } from './spinlock.js';
import type { Task } from './task.js';
import { siteId } from './warn.js';

/**
 * might_sleep: report SLEEP_IN_ATOMIC on `obj` (0: none), titled after `fn` (the function that
 * may sleep; the report's call site), when `t` is atomic (a spinlock held, hardirq, irqs off). Context: any task; never sleeps,
 * is no scheduling point, changes nothing but the findings.
 */
export function might_sleep(t: Task, fn = 'might_sleep', obj = 0): void {
  if (in_atomic(t)) t.warn('SLEEP_IN_ATOMIC', obj, siteId(fn));
}
