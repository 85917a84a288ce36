/**
 * The task's context as the kernel's predicates read it (include/linux/preempt.h in_atomic(),
 * preemptible(), in_hardirq(); irqflags.h irqs_disabled()), over its own actor words: A_SPIN (the
 * spinlocks it holds plus its hardirq nesting: the model's preempt_count), A_HARDIRQ (the hardirq
 * nesting alone) and A_IRQS_OFF (local_irq_save's flag; hardirq context has interrupts off too).
 * Every file that asks about the context asks here; spinlock.ts (A_SPIN) and hardirq.ts (all
 * three) change the words. A leaf of the kernel's imports, so that both of those, lockdep_irq.ts
 * and irq_work.ts can use it without a cycle.
 *
 * Context: the calling task's own words; never sleeps.
 */
import { A_HARDIRQ, A_IRQS_OFF, A_SPIN } from '../shm/layout.js';
import type { Task } from './task.js';

/** in_hardirq(): whether `t` runs an interrupt handler (or irq_work). */
export function in_hardirq(t: Task): boolean {
  return t.i32[t.base + A_HARDIRQ]! > 0;
}

/** The task's own interrupt flag is off (local_irq_save / _disable, spin_lock_irq*), hardirq
 *  context aside: what an exit turns back on (exit.ts). */
export function local_irqs_off(t: Task): boolean {
  return t.i32[t.base + A_IRQS_OFF]! !== 0;
}

/** irqs_disabled(): interrupts are off — local_irq_save / _disable, or hardirq context. */
export function irqs_disabled(t: Task): boolean {
  return t.i32[t.base + A_IRQS_OFF]! !== 0 || t.i32[t.base + A_HARDIRQ]! > 0;
}

/** in_atomic(): the kernel's preempt_count test — `t` holds a spinlock or runs in hardirq context
 *  (hardirq.ts counts it in A_SPIN). Interrupts disabled alone are not atomic (preemptible()). */
export function in_atomic(t: Task): boolean {
  return t.i32[t.base + A_SPIN]! > 0;
}

/** preemptible(): neither atomic (in_atomic()) nor with interrupts disabled — where a function
 *  that may sleep may be called (might_sleep) and queued RCU callbacks run (call_rcu.ts). */
export function preemptible(t: Task): boolean {
  return t.i32[t.base + A_SPIN]! === 0 && t.i32[t.base + A_IRQS_OFF]! === 0;
}
