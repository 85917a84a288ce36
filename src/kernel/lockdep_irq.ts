/**
 * lockdep's irq-safety state per lock class (kernel/locking/lockdep.c mark_usage, mark_lock,
 * valid_state), hardirq only: a class taken in hardirq context is USED_IN_HARDIRQ (HARDIRQ-safe,
 * "IN-HARDIRQ-W"); one taken with interrupts enabled outside hardirq is ENABLED_HARDIRQ
 * (HARDIRQ-unsafe, "HARDIRQ-ON-W"). A class with both deadlocks when the interrupt arrives on the
 * CPU that holds it with interrupts on: the bit set second is lockdep's "inconsistent lock state"
 * — LOCK_IRQ_INCONSISTENT_ON (`inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage`: taken with
 * interrupts on after use in hardirq) or LOCK_IRQ_INCONSISTENT_IN (the reverse) — on the lock
 * taken, titled after the call that took it, aux = [class, actor + 1 that set the other bit (0:
 * unknown), the C_TRIAL generation that set it (its LC_*_TRIAL word, lockdep_usage.ts)]. A lock
 * taken with interrupts disabled outside hardirq marks nothing (no softirq states in the model).
 * Which spinlocks mark what: spinlock_lockdep.ts (spin_lock marks
 * ENABLED_HARDIRQ outside an irq-disabled section, spin_lock_irqsave / _irq never; in hardirq all
 * mark USED_IN_HARDIRQ; a lock held while interrupts go on is marked then, lockdepHardirqsOn);
 * mutexes and ww_mutexes mark ENABLED_HARDIRQ only (lockdepMarkSleepingLock); the pseudo locks
 * (lockdep maps) mark nothing.
 *
 * The bits live in the class record (LC_USAGE, lockdep_usage.ts), so like the dependency graph
 * they span every trial of an arena: a class used in hardirq in one trial and with interrupts on
 * in a later one is reported then, once per class (the CAS that sets the second bit reports; the
 * kernel turns lockdep off at its first report, the model goes on, lockdep.ts), naming the trial
 * that set the first bit — which the finding carries, so that its replay primes it
 * (lockdep_carry.ts).
 *
 * Across classes (mark_lock_irq, check_irq_usage): a HARDIRQ-safe class that reaches a
 * HARDIRQ-unsafe one through the dependency graph deadlocks too — the interrupt waits for the
 * safe lock, its holder for the unsafe one, held with interrupts on by the CPU the interrupt
 * came to. A new dependency closing such a path is LOCK_IRQ_SAFE_UNSAFE ("HARDIRQ-safe ->
 * HARDIRQ-unsafe lock order detected", lockdep_hooks.ts), a usage bit closing it is
 * LOCK_IRQ_INVERSION ("possible irq lock inversion dependency detected"). Usage is marked in
 * kernel/locking/lockdep.c __lock_acquire's order — after check_wait_context, before the nest_lock
 * check and validate_chain —: a spinlock's before its dependencies (spinlock_lockdep.ts), a
 * sleeping lock's at the attempt (lockdepMarkSleepingLock).
 *
 * Cost: one load of the class's usage word per acquisition once its bit is set; the CAS, the
 * LD_WRITES bump (lockdep_snapshot.ts) and a search of the graph only the first time per class
 * and bit; two searches per new dependency.
 */
import { heldEntry, heldLockRef, heldStack } from './lockdep_held.js';
import { HELD_CLASS_MASK, HELD_READ, HE_CLASS, HS_DEPTH, HS_LOW, type LockdepLayout, lockRefObject, lockdepLayout } from './lockdep_layout.js';
import { lockdepSerialBound, usageReach } from './lockdep_graph.js';
import { LU_BITS, LU_ENABLED_HARDIRQ, LU_USED_IN_HARDIRQ, usageActor, usagePublish, usageTrial } from './lockdep_usage.js';
import { in_hardirq, irqs_disabled } from './preempt.js';
import { C_TRIAL } from '../shm/layout.js';
import type { Task } from './task.js';
import type { Mutex } from './types.js';
import { siteId } from './warn.js';

/** The usage bit taking a lock now sets for `t`: USED_IN in hardirq, ENABLED with interrupts on,
 *  0 with them off outside hardirq. */
export function irqUsageBit(t: Task): number {
  if (in_hardirq(t)) return LU_USED_IN_HARDIRQ;
  return irqs_disabled(t) ? 0 : LU_ENABLED_HARDIRQ;
}

/**
 * mark_usage for an acquisition of class `cls` (validated, non-zero) by `t` setting usage `bit`
 * (irqUsageBit; 0: nothing), on object `obj`, titled after `site`: set the bit with the actor
 * (mark_lock), then markLockIrq's checks when this call set it. Returns whether it reported —
 * __lock_acquire's `if (!mark_usage(...)) return 0;`: the caller then checks and records nothing
 * more for the acquisition (lockdep.ts). Context: any task; never sleeps.
 */
export function lockdepMarkUsage(t: Task, ld: LockdepLayout, cls: number, bit: number, obj: number, site: number): boolean {
  if (bit === 0) return false;
  const old = usagePublish(t.i32, ld, cls, bit, t.id, t.i32[t.ctl + C_TRIAL]!);
  return old >= 0 && markLockIrq(t, ld, cls, bit, old, obj, site);
}

/**
 * mark_lock_irq for class `cls`, whose usage `bit` `t` just set (usagePublish returned `old`, the
 * usage before): the inconsistent lock state when `old` has the other bit (valid_state), else the
 * graph checks (inversion). Returns whether it reported. Under stress another thread's CAS may
 * set the other bit between this thread's CAS and its checks — that thread reports the
 * inconsistent state, and this one's search must not find `cls` itself: the kernel makes both
 * steps under graph_lock, so one report. Exported for the test that sets the bits in that order.
 */
export function markLockIrq(t: Task, ld: LockdepLayout, cls: number, bit: number, old: number, obj: number, site: number): boolean {
  const other = bit ^ LU_BITS;
  if ((old & other) === 0) return inversion(t, ld, cls, bit, obj, site);
  const since = usageTrial(t.i32, ld, cls, other);
  t.warn(bit === LU_ENABLED_HARDIRQ ? 'LOCK_IRQ_INCONSISTENT_ON' : 'LOCK_IRQ_INCONSISTENT_IN', obj, site, [cls, usageActor(old, other), since]);
  return true;
}

const SITE_MUTEX = siteId('mutex_lock');

/**
 * mark_usage of sleeping lock `lock` (a mutex or ww_mutex) of class `cls` (0: not validated:
 * nothing) taken by `t`: with interrupts on outside hardirq its class is HARDIRQ-unsafe (an
 * inconsistent state or an inversion reported on `lock`, titled after mutex_lock: returns true,
 * and the caller skips the acquisition's nest_lock check and dependencies); with
 * interrupts off, or in hardirq (trylocks mark no USED_IN_HARDIRQ), it marks nothing. Called where
 * __lock_acquire marks: after check_wait_context and before the nest_lock check and
 * validate_chain — at a blocking attempt's start, before it may sleep (mutex_lock_common.ts
 * lockdepPart: an attempt that never acquires has marked, one under a spinlock,
 * INVALID_WAIT_CONTEXT, marks nothing), and once a trylock has the lock. Context: `t`.
 */
export function lockdepMarkSleepingLock(t: Task, lock: Mutex, cls: number): boolean {
  if (cls === 0 || irqUsageBit(t) !== LU_ENABLED_HARDIRQ) return false;
  return lockdepMarkUsage(t, lockdepLayout(t.arena), cls, LU_ENABLED_HARDIRQ, lock, SITE_MUTEX);
}

/**
 * lockdep_hardirqs_on's mark_held_locks(curr, LOCK_ENABLED_HARDIRQ): interrupts went from off to on
 * outside hardirq (hardirq.ts local_irq_restore / local_irq_enable), so every lock `t` holds is
 * now held with interrupts on — HARDIRQ-unsafe, as if taken so: each held entry of a real lock
 * (not a pseudo lock's, nor a read-held one: the model has no read usage states) gets
 * ENABLED_HARDIRQ, an inconsistent state or an inversion reported on that lock, titled after
 * `site` (the call that enabled them) — and the first report ends the marking, as
 * mark_held_locks returns at the first mark_lock that fails (the locks above it stay unmarked
 * until interrupts go on again with them held). `waitCls` (0: none) is the class of the mutex
 * `waitLock` a task wakes in (hardirq.ts finish_task_switch from mutex_lock_common.ts): the
 * kernel's __mutex_lock_common makes mutex_acquire_nest before it sleeps, so that mutex sits on
 * top of held_locks and is marked last; the model pushes its held entry only once acquired.
 * Context: `t`'s own thread, interrupts just enabled.
 * Cost: one load per held entry whose class has the bit already.
 */
export function lockdepHardirqsOn(t: Task, site: number, waitLock = 0, waitCls = 0): void {
  const ld = lockdepLayout(t.arena);
  if (ld.classes < 2) return;
  const h = t.i32;
  const s = heldStack(t, ld);
  for (let i = h[s + HS_LOW]!; i < h[s + HS_DEPTH]!; i++) {
    const e = heldEntry(s, i);
    const ref = heldLockRef(h, e);
    const w = h[e + HE_CLASS]!;
    if (ref <= 0 || (w & HELD_CLASS_MASK) === 0 || (w & HELD_READ) !== 0) continue;
    if (lockdepMarkUsage(t, ld, w & HELD_CLASS_MASK, LU_ENABLED_HARDIRQ, lockRefObject(ref), site)) return;
  }
  if (waitCls !== 0) lockdepMarkUsage(t, ld, waitCls, LU_ENABLED_HARDIRQ, waitLock, site);
}

/**
 * mark_lock_irq's graph checks for class `cls` that just got usage `bit` alone: HARDIRQ-safe now,
 * a class it reaches through recorded dependencies is HARDIRQ-unsafe (check_usage_forwards); or
 * HARDIRQ-unsafe now, a class that reaches it is HARDIRQ-safe (check_usage_backwards) — lockdep's
 * "possible irq lock inversion dependency detected", LOCK_IRQ_INVERSION on `obj` after `site`,
 * aux = [safe class, unsafe class, serial bound: one past every edge serial handed out when it
 * reported (lockdep_carry.ts reads the chain over the edges below it)]. The search skips `cls`
 * itself (markLockIrq). Returns whether it reported.
 */
function inversion(t: Task, ld: LockdepLayout, cls: number, bit: number, obj: number, site: number): boolean {
  const forwards = bit === LU_USED_IN_HARDIRQ;
  const found = usageReach(t.i32, ld, cls, forwards ? LU_ENABLED_HARDIRQ : LU_USED_IN_HARDIRQ, forwards, false);
  if (found < 0) return false;
  const bound = lockdepSerialBound(t.i32, ld);
  t.warn('LOCK_IRQ_INVERSION', obj, site, forwards ? [cls, found, bound] : [found, cls, bound]);
  return true;
}

/** SAFE_UNSAFE_PAIR's shift: a class id is below 2^16 (the classes² matrix of edge records alone
 *  would outgrow an ArrayBuffer long before). */
const PAIR_SHIFT = 16;

/** LOCK_IRQ_SAFE_UNSAFE's aux word 2: dependency prev → next packed (prev | next << 16). */
export function safeUnsafePair(prev: number, next: number): number {
  return prev | (next << PAIR_SHIFT);
}

/** The [prev, next] a LOCK_IRQ_SAFE_UNSAFE aux word 2 (safeUnsafePair) holds. */
export function safeUnsafePairOf(w: number): [number, number] {
  return [w & ((1 << PAIR_SHIFT) - 1), w >>> PAIR_SHIFT];
}

/**
 * check_irq_usage for new dependency `prev` → `next` (lockdep_hooks.ts, only for an edge new to
 * the graph): a HARDIRQ-safe class reaching `prev` (itself included) and a HARDIRQ-unsafe class
 * `next` reaches (itself included) make the interrupt's lock wait on a lock held with interrupts
 * on — lockdep's "HARDIRQ-safe -> HARDIRQ-unsafe lock order detected", LOCK_IRQ_SAFE_UNSAFE on
 * `obj` after `site`, aux = [safe class, unsafe class, prev → next (safeUnsafePair), serial
 * bound: one past every edge serial handed out once both searches ran — lockdep_carry.ts reads the
 * chains over the edges below it: every edge the searches may have used (under stress another
 * thread's, published after this edge's serial was drawn, too), not those the trial adds after].
 * Returns whether it reported. Cost: two searches of the matrix (O(classes²) words) per new
 * edge, at most classes² per arena.
 */
export function lockdepIrqDependency(t: Task, ld: LockdepLayout, prev: number, next: number, obj: number, site: number): boolean {
  const h = t.i32;
  const safe = usageReach(h, ld, prev, LU_USED_IN_HARDIRQ, false);
  if (safe < 0) return false;
  const unsafe = usageReach(h, ld, next, LU_ENABLED_HARDIRQ, true);
  if (unsafe < 0) return false;
  const bound = lockdepSerialBound(h, ld);
  t.warn('LOCK_IRQ_SAFE_UNSAFE', obj, site, [safe, unsafe, safeUnsafePair(prev, next), bound]);
  return true;
}
