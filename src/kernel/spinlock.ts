/**
 * Bounded spinlocks on arena words (the fence lock). Uncontended in inline/controlled, where a
 * task runs alone between yields; real CAS spinning in stress. A spin that never succeeds is the
 * kernel's "spinlock lockup suspected": a BUG finding, never a hung harness. Each task counts the
 * spinlocks it holds (A_SPIN), which is the model's in_atomic().
 */
import { HarnessError } from '../errno/errors.js';
import { A_SPIN } from '../shm/layout.js';
import type { Task } from './task.js';

const SPIN_LIMIT = 1 << 24;

/**
 * Take the spinlock at word `idx` (0 = free), storing `held` in it (non-zero: 1 for the model's own
 * locks, whose words the layout documents as 0/1; a spinlock_t's owner, spinlock_lockdep.ts).
 */
export function spin_lock(t: Task, idx: number, obj: number, held = 1): void {
  const h = t.i32;
  for (let i = 0; i < SPIN_LIMIT; i++) {
    if (Atomics.compareExchange(h, idx, 0, held) === 0) { h[t.base + A_SPIN]!++; return; }
  }
  t.bug('SPINLOCK_LOCKUP', obj);
}

/**
 * Release the spinlock at word `idx`, which `t` took. Releasing its last spinlock, the task runs
 * the irq_work queued meanwhile (irqWorkRun). A task holding no spinlock is a defect of the model
 * (its callers release only what they took; spinlock_t's misuse is checked before, in
 * spin_unlock_dep): ERR_MODEL, and nothing changes, so in_atomic() never counts below zero.
 */
export function spin_unlock(t: Task, idx: number): void {
  const h = t.i32;
  if (h[t.base + A_SPIN]! <= 0) throw new HarnessError('ERR_MODEL', `spin_unlock: actor ${t.id} releases word ${idx} holding no spinlock`);
  Atomics.store(h, idx, 0);
  if (--h[t.base + A_SPIN]! === 0 && t.irqWork.length !== 0) irqWorkRun(t);
}

/**
 * Run `t`'s queued irq_work in queue order (irq_work_run), each item in hardirq context: A_SPIN
 * raised while it runs, so in_atomic() holds — a might_sleep in it is SLEEP_IN_ATOMIC — and work
 * it queues waits for the items before it. Context: `t` holding no spinlock.
 */
export function irqWorkRun(t: Task): void {
  const h = t.i32;
  for (let work = t.irqWork.shift(); work !== undefined; work = t.irqWork.shift()) {
    h[t.base + A_SPIN]!++;
    work();
    h[t.base + A_SPIN]!--;
  }
}

/** in_atomic(): whether `t` holds a spinlock (it must not sleep). */
export function in_atomic(t: Task): boolean {
  return t.i32[t.base + A_SPIN]! > 0;
}
