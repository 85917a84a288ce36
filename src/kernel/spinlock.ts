/**
 * Bounded spinlocks on arena words: the model's own (the fence lock, the dma-buf poll lock, a
 * mutex's wait_lock, the fence and IOVA allocators' locks) and spinlock_t's (spinlock_lockdep.ts),
 * whose word names the owner while held (spinOwnerWord). Uncontended in inline/controlled, where a
 * task runs alone between yields; real CAS spinning in stress. A spin that never succeeds is the
 * kernel's "spinlock lockup suspected": a BUG finding, never a hung harness. Each task counts the
 * spinlocks it holds in A_SPIN, with its hardirq nesting (hardirq.ts), which is the model's
 * preempt_count and in_atomic(); interrupts disabled (A_IRQS_OFF) are not in it, as in the kernel
 * (preemptible() tests both; the predicates: preempt.ts).
 */
import { HarnessError } from '../errno/errors.js';
import { A_SPIN } from '../shm/layout.js';
import { rcuQuiescent } from './call_rcu.js';
import type { Task } from './task.js';

const SPIN_LIMIT = 1 << 24;

/**
 * The value of a spinlock's word while `t` holds it: its owner, actor + 1 (CONFIG_DEBUG_SPINLOCK's
 * lock->owner), for the model's own locks as for a spinlock_t (spinlock_lockdep.ts).
 */
export function spinOwnerWord(t: Task): number {
  return t.id + 1;
}

/**
 * Whether the spinlock at word `idx` names `t` as its owner: the kernel's lockdep_assert_held of a
 * spinlock asks whether current holds it, so another task holding it is "not held" for `t`.
 */
export function spin_held_by(t: Task, idx: number): boolean {
  return Atomics.load(t.i32, idx) === spinOwnerWord(t);
}

/**
 * Take the spinlock at word `idx` (0 = free; held, its owner: spinOwnerWord), for a finding on
 * object `obj`. CONFIG_DEBUG_SPINLOCK's debug_spin_lock_before: a word that already names `t` is
 * SPIN_BUG_ON(lock->owner == current, "recursion") — SPIN_RECURSION on `obj` at `site` (0:
 * spin_lock's own title; a siteId: the caller's, as spin_lock_nest_lock's). The kernel prints and
 * spins on into a deadlock of that CPU, reported at most later by a lockup watchdog; the model ends
 * the task there instead (t.bug: KernelOops, the trial ends as a BUG), never spinning the 2^24
 * rounds of SPINLOCK_LOCKUP. A lock another task holds is no recursion: the spin goes on.
 * A lockdep kernel runs spin_acquire first, so for a lock with a lockdep class its "possible
 * recursive locking detected" prints and turns debug_locks off, silencing spin_bug; the model's own
 * locks have no class (spinlock_lockdep.ts) but a driver's or container's fence lock
 * (spinlock_fence.ts), so only this report appears for them, and a spinlock_t or such a fence
 * lock gets both (LOCK_RECURSIVE first). A replay recorded when a self-recursion was
 * SPINLOCK_LOCKUP now reproduces SPIN_RECURSION instead. The title names the call that took the
 * lock (a fence lock's: spin_lock_irqsave, as its LOCK_RECURSIVE does; the model's other own
 * locks': spin_lock), the finding's object which lock.
 * Context: any task; never sleeps. Returns nothing, as the kernel's.
 */
export function spin_lock(t: Task, idx: number, obj: number, site = 0): void {
  const h = t.i32;
  const me = spinOwnerWord(t);
  for (let i = 0; i < SPIN_LIMIT; i++) {
    const was = Atomics.compareExchange(h, idx, 0, me);
    if (was === 0) { h[t.base + A_SPIN]!++; return; }
    if (was === me) t.bug('SPIN_RECURSION', obj, site);
  }
  t.bug('SPINLOCK_LOCKUP', obj);
}

/**
 * Release the spinlock at word `idx`, which `t` holds. Releasing its last spinlock with interrupts
 * on, the task runs the RCU callbacks queued meanwhile (call_rcu.ts rcuQuiescent). A word that
 * does not name `t` as owner, or a task holding no spinlock, is a defect of the model (its callers
 * release only what they took; spinlock_t's misuse is checked before, in spin_unlock_dep):
 * ERR_MODEL, and nothing changes, so in_atomic() never counts below zero and no task's lock is
 * released from under it. The release is one CAS from the owner word to 0, so the owner check costs
 * nothing over a store; the count alone would miss a task releasing another's lock while it holds
 * one.
 */
export function spin_unlock(t: Task, idx: number): void {
  const h = t.i32;
  const me = spinOwnerWord(t);
  if (h[t.base + A_SPIN]! <= 0) throw unlockDefect(t, idx, Atomics.load(h, idx));
  const word = Atomics.compareExchange(h, idx, me, 0);
  if (word !== me) throw unlockDefect(t, idx, word);
  h[t.base + A_SPIN]!--;
  rcuQuiescent(t);
}

/** The ERR_MODEL of a spin_unlock by `t` of word `idx` that names `word`, not `t`, or of a task
 *  holding no spinlock. */
function unlockDefect(t: Task, idx: number, word: number): HarnessError {
  return new HarnessError('ERR_MODEL', `spin_unlock: actor ${t.id} releases word ${idx} (owner word ${word}) holding ${t.i32[t.base + A_SPIN]!} spinlocks`);
}
