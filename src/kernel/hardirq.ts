/**
 * Interrupt context (include/linux/hardirq.h, irqflags.h): the task's hardirq nesting
 * (in_hardirq()) and whether it runs with interrupts disabled (irqs_disabled()), in its own actor
 * words (A_HARDIRQ, A_IRQS_OFF). The model has one CPU per task, so "an interrupt arrives on this
 * CPU" is the task calling hardirq_enter: the DMA engine does around its completion (its job's
 * dma_fence_signal and every callback that runs), irq_work runs inside one (irqWorkRun). The
 * predicates over those words (and A_SPIN) are preempt.ts's; this file changes them. No softirq,
 * no NMI, no threaded handlers, and an interrupt never preempts a task at a point of the model's
 * choosing: a handler runs where its caller calls it.
 *
 * Hardirq context counts in A_SPIN, as the kernel's HARDIRQ_OFFSET counts in preempt_count, so
 * in_atomic() — schedule_debug's "scheduling while atomic", check_wait_context's "Invalid wait
 * context", dma_fence_begin_signalling's short-circuit — holds in a handler. Disabling interrupts
 * changes no preempt_count in the kernel (local_irq_save touches only the flags), so A_IRQS_OFF
 * stays out of A_SPIN: only might_sleep (__might_resched also tests irqs_disabled()) and the
 * RCU deferral (call_rcu.ts) test both (preempt.ts preemptible()). irq_work waits for interrupts
 * on alone, as the kernel's self-interrupt does (irq_work.ts).
 *
 * A task that really sleeps comes back with interrupts on (finish_task_switch): the kernel's
 * __schedule returns through finish_lock_switch's raw_spin_rq_unlock_irq, a local_irq_enable
 * whatever the flags were, so lockdep_hardirqs_on marks the locks held then. A sleep inside
 * hardirq context (already SLEEP_IN_ATOMIC or "scheduling while atomic", neither of which turns
 * debug_locks off) returns to lockdep_hardirqs_on_prepare's
 * DEBUG_LOCKS_WARN_ON(lockdep_hardirq_context()): IRQS_ON_IN_HARDIRQ titled after schedule, no
 * lock marked, and the model keeps the handler's context so that its hardirq_exit balances.
 *
 * Context: the calling task only; never sleeps, no scheduling point. A yield in hardirq context
 * is the kernel's "scheduling while atomic" (preempt_count), one with only interrupts disabled is
 * not (schedule_debug tests the preempt count alone; might_sleep's __might_resched tests
 * irqs_disabled() too): the sleeping calls report what applies (schedule_debug.ts,
 * might_sleep.ts), not this file. A trial reset clears both words.
 */
import { A_HARDIRQ, A_IRQS_OFF, A_SPIN } from '../shm/layout.js';
import { lockdepHeldDepth } from './lockdep_held.js';
import { lockdepHardirqsOn } from './lockdep_irq.js';
import { rcuQuiescent } from './call_rcu.js';
import { in_hardirq, irqs_disabled, local_irqs_off } from './preempt.js';
import type { Task } from './task.js';
import { siteId } from './warn.js';

const SITE_RESTORE = siteId('local_irq_restore');
const SITE_ENABLE = siteId('local_irq_enable');
const SITE_SCHEDULE = siteId('schedule');

/** Interrupts may be on for `t` (a hardirq_exit, local_irq_restore, the return from schedule,
 *  an irq_work_queue): run the irq_work queued meanwhile if they are — outside hardirq, whatever
 *  spinlock it holds —, then the RCU callbacks (a fence freed by the work) if it is also
 *  preemptible (call_rcu.ts). Context: `t`, any state; never sleeps. */
export function irqsOnPoint(t: Task): void {
  if (t.irqWork.length !== 0 && !irqs_disabled(t)) irqWorkRun(t);
  rcuQuiescent(t);
}

/** Turn `t`'s own interrupt flag off → on outside hardirq: lockdep_hardirqs_on's marking of the
 *  held locks and of the mutex `t` wakes in (`waitLock`, class `waitCls`; 0: none) — findings
 *  titled after `site` —, then what waited for interrupts on. */
function irqsOn(t: Task, site: number, waitLock = 0, waitCls = 0): void {
  t.i32[t.base + A_IRQS_OFF] = 0;
  lockdepHardirqsOn(t, site, waitLock, waitCls);
  irqsOnPoint(t);
}

/**
 * The return from __schedule of a task that really slept (wait.ts callers, after a yield while
 * blocked): finish_task_switch's raw_spin_rq_unlock_irq turns interrupts on whatever they were,
 * so with them off outside hardirq this is local_irq_enable titled after schedule — the held
 * locks become HARDIRQ-unsafe, irq_work queued meanwhile runs —, and a later local_irq_restore of
 * flags saved "enabled" finds them on, one of flags saved "disabled" turns them off again. With
 * them on, nothing; in hardirq (see the file comment) IRQS_ON_IN_HARDIRQ titled after schedule
 * and nothing else. A mutex waiter passes the mutex it sleeps in (`waitLock`, lockdep class
 * `waitCls`; 0: none): lockdep holds it already (lockdep_irq.ts lockdepHardirqsOn), so it becomes
 * HARDIRQ-unsafe too. Not for a scheduling point that does not sleep (cond_resched:
 * __cond_resched does not schedule with interrupts off).
 */
export function finish_task_switch(t: Task, waitLock = 0, waitCls = 0): void {
  if (in_hardirq(t)) t.warn('IRQS_ON_IN_HARDIRQ', 0, SITE_SCHEDULE);
  else if (local_irqs_off(t)) irqsOn(t, SITE_SCHEDULE, waitLock, waitCls);
}

/**
 * irq_enter's hardirq part (__irq_enter_raw: HARDIRQ_OFFSET): `t` runs an interrupt handler
 * until the matching hardirq_exit — in_hardirq(), irqs_disabled() and in_atomic() hold, and every
 * lock it takes is used in hardirq context for lockdep (lockdep_irq.ts). The outermost level
 * opens a new lockdep irq_context: the locks held now (t.irqHeldFloor, their held-stack depth)
 * get no dependency on the handler's (lockdep_hooks.ts checkDeps, as check_prevs_add stops at a
 * held lock of another irq_context); nested levels share it, as the kernel's irq_context does.
 * Called with interrupts disabled outside hardirq (A_IRQS_OFF) it models an interrupt the CPU
 * could not take then; the model's callers (the engine's completion, irq_work) never do so.
 */
export function hardirq_enter(t: Task): void {
  if (t.i32[t.base + A_HARDIRQ]!++ === 0) t.irqHeldFloor = lockdepHeldDepth(t);
  t.i32[t.base + A_SPIN]!++;
}

/** irq_exit: leave the handler hardirq_enter entered; irq_work it queued runs now, as the
 *  kernel's irq_work interrupt right after it. Precondition: in_hardirq(). */
export function hardirq_exit(t: Task): void {
  hardirqLeave(t);
  irqsOnPoint(t);
}

/**
 * Run `t`'s queued irq_work in queue order (irq_work_run), each item in hardirq context
 * (hardirq_enter / hardirq_exit around it): in_hardirq() and in_atomic() hold while it runs — a
 * might_sleep in it is SLEEP_IN_ATOMIC, a lock it takes is used in hardirq context for lockdep
 * and depends on no lock held outside it — and work it queues waits for the items before it (the
 * exit of one item runs none: the loop takes them in order). Context: `t` with interrupts
 * enabled, not in hardirq; spinlocks held or not (the kernel's irq_work interrupt is taken
 * whatever the preempt count).
 */
export function irqWorkRun(t: Task): void {
  for (let work = t.irqWork.shift(); work !== undefined; work = t.irqWork.shift()) {
    hardirq_enter(t);
    work();
    hardirqLeave(t);
  }
}

/** Leave one hardirq level (hardirq_exit without running queued irq_work: irqWorkRun's own loop
 *  runs it). */
function hardirqLeave(t: Task): void {
  if (--t.i32[t.base + A_HARDIRQ]! === 0) t.irqHeldFloor = 0;
  t.i32[t.base + A_SPIN]!--;
}

/**
 * local_irq_save: disable interrupts; returns the flags for local_irq_restore — 1 when they were
 * off already (nested, or in hardirq), 0 when this call turned them off.
 */
export function local_irq_save(t: Task): number {
  if (irqs_disabled(t)) return 1;
  t.i32[t.base + A_IRQS_OFF] = 1;
  return 0;
}

/**
 * local_irq_restore: put back the state local_irq_save returned as `flags`. Enabled (0) after
 * off: lockdep_hardirqs_on marks every lock the task holds HARDIRQ-unsafe (lockdep_irq.ts
 * lockdepHardirqsOn, findings titled after `site`: the call that enabled them), then the irq_work
 * queued meanwhile runs, and the RCU callbacks once the task is also preemptible. Disabled (1):
 * off again if a spin_unlock_irq or a sleep (finish_task_switch) in between turned them on. In
 * hardirq context enabling is lockdep's DEBUG_LOCKS_WARN_ON(lockdep_hardirq_context()) —
 * IRQS_ON_IN_HARDIRQ titled after `site` — and changes nothing, as does any restore there.
 */
export function local_irq_restore(t: Task, flags: number, site = SITE_RESTORE): void {
  if (in_hardirq(t)) {
    if (flags === 0) t.warn('IRQS_ON_IN_HARDIRQ', 0, site);
  } else if (flags === 0 && local_irqs_off(t)) {
    irqsOn(t, site);
  } else if (flags !== 0 && !local_irqs_off(t)) {
    t.i32[t.base + A_IRQS_OFF] = 1;
  }
}

/** local_irq_disable: interrupts off, whatever they were (spin_lock_irq). */
export function local_irq_disable(t: Task): void {
  local_irq_save(t);
}

/** local_irq_enable: interrupts on, whatever they were (spin_unlock_irq; inside a
 *  local_irq_save section that is the classic bug the later restore cannot undo in between);
 *  lockdep's checks titled after `site` (local_irq_restore's). */
export function local_irq_enable(t: Task, site = SITE_ENABLE): void {
  local_irq_restore(t, 0, site);
}
