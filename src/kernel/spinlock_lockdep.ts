/**
 * spinlock_t for driver modules and scenarios: a spinlock (spinlock.ts: the bounded CAS word, and
 * in_atomic() while held) that lockdep validates, in two kzalloc'd words — the lock word (0 free;
 * held, its owner: actor + 1, CONFIG_DEBUG_SPINLOCK's lock->owner) and its lock class — which
 * spin_lock_init fills (the kernel's spin_lock_init with its static class key). Taking one is an
 * exclusive acquisition of its class (spin_acquire): check_deadlock first (a held lock of the
 * class, nothing nesting it: LOCK_RECURSIVE titled after spin_lock), then the dependencies of
 * taking it now, and it joins the held stack until spin_unlock. Held, it makes every might_sleep a
 * SLEEP_IN_ATOMIC finding (might_sleep.ts), and a blocking mutex/ww_mutex acquisition lockdep's
 * INVALID_WAIT_CONTEXT (lockdep_hooks.ts lockdepInvalidWait), which records no dependency spinlock
 * → mutex: a spinlock taken under a mutex and that mutex under it is the invalid wait context, not
 * a circular dependency (the kernel's check_wait_context, since 5.7). Its class's irq usage is
 * marked at each acquisition (lockdep_irq.ts): taken in hardirq context (a fence callback the
 * DMA engine's completion interrupt runs, irq_work) it is HARDIRQ-safe, taken by spin_lock with
 * interrupts on HARDIRQ-unsafe — both is "inconsistent lock state"; spin_lock_irqsave /
 * spin_lock_irq (interrupts off around the lock, hardirq.ts) mark nothing outside hardirq.
 *
 * The lock of a fence with a driver's or a container's ops is tracked the same way, through
 * spinLockClassed: its class is one per fence ops (spinlock_fence.ts; a plain fence's lock has
 * none), so a driver lock taken under it (enable_signaling, a fence callback) and held around
 * dma_fence_signal elsewhere is a reported cycle. The model's other own locks (spinlock.ts: the
 * poll, iova and allocator locks, a mutex's wait_lock), whose words record their owner as a
 * spinlock_t's does, are not lockdep classes: nothing the model does under them takes another lock.
 *
 * Context: any task; never sleeps, no scheduling point. A spinlock held across a scheduling point
 * (a yield) is the kernel's "scheduling while atomic", which the model does not report; another
 * actor spinning on it meanwhile reports SPINLOCK_LOCKUP instead of hanging.
 */
import { local_irq_disable, local_irq_enable, local_irq_restore, local_irq_save } from './hardirq.js';
import { HELD_NONE, HELD_RECURSIVE, heldCheck, heldCtxIndex, heldPop, heldPush } from './lockdep_held.js';
import { lockdep_class, lockdepMutexClassOf, type LockClassKey } from './lockdep_class.js';
import { checkDeps, lock_is_held } from './lockdep_hooks.js';
import { LOCK_REF_SPIN, lockdepLayout } from './lockdep_layout.js';
import { irqUsageBit, lockdepMarkUsage } from './lockdep_irq.js';
import { checkExclusive } from './lockdep_map.js';
import { privIndex } from './priv.js';
import { spin_held_by, spin_lock, spin_unlock, spinOwnerWord } from './spinlock.js';
import type { Task } from './task.js';
import type { Mutex } from './types.js';
import { siteId } from './warn.js';

/** Words of a spinlock_t (kzalloc them; the handle is the first). */
export const SPINLOCK_WORDS = 2;

const SITE_LOCK = siteId('spin_lock');
const SITE_IRQSAVE = siteId('spin_lock_irqsave');
const SITE_IRQ = siteId('spin_lock_irq');
const SITE_NEST = siteId('spin_lock_nest_lock');
const SITE_UNLOCK_IRQRESTORE = siteId('spin_unlock_irqrestore');
const SITE_UNLOCK_IRQ = siteId('spin_unlock_irq');

/**
 * spin_lock_init: make the SPINLOCK_WORDS private words at `lock` an unlocked spinlock of lock
 * class `key` (a name: one class per key, as the kernel's per-call-site static key; '' or 0: not
 * validated). Context: any task; the lock must not be held.
 */
export function spin_lock_init(t: Task, lock: number, key: LockClassKey): void {
  const i = privIndex(t, lock);
  t.i32[i + 1] = lockdep_class(t.arena, key);
  Atomics.store(t.i32, i, 0);
}

/** The lockdep class of spinlock `lock` (0: not validated). */
function spinClass(t: Task, lock: number): number {
  return t.i32[privIndex(t, lock) + 1]!;
}

/** The lock ref (lockdep_layout.ts) of spinlock `lock`: its held entries and edges name it. */
function spinRef(lock: number): number {
  return LOCK_REF_SPIN + lock;
}

/** spinLockClassed for spinlock_t `lock` (its word, class and lock ref), findings on `lock` titled
 *  after `site`: the call that took it (spin_lock, spin_lock_irqsave, spin_lock_irq). */
function lockTitled(t: Task, lock: number, site: number): void {
  spinLockClassed(t, privIndex(t, lock), lock, spinClass(t, lock), spinRef(lock), site);
}

/**
 * spin_lock: lockdep's checks of taking `lock` (see the file comment; findings on object `lock`),
 * then the lock (take); it is held (in_atomic()) until spin_unlock. Returns nothing, as the
 * kernel's; a lock the task already holds ends it (KernelOops, SPIN_RECURSION).
 */
export function spin_lock_dep(t: Task, lock: number): void {
  lockTitled(t, lock, SITE_LOCK);
}

/**
 * spin_lock_irqsave: disable interrupts (hardirq.ts local_irq_save), then spin_lock's checks and
 * the lock, findings titled after spin_lock_irqsave; lockdep marks no HARDIRQ-ON usage for it.
 * Returns the flags for spin_unlock_irqrestore.
 */
export function spin_lock_irqsave(t: Task, lock: number): number {
  const flags = local_irq_save(t);
  lockTitled(t, lock, SITE_IRQSAVE);
  return flags;
}

/** spin_unlock_irqrestore: spin_unlock (its checks included), then the interrupt state
 *  spin_lock_irqsave returned as `flags` (local_irq_restore), whatever the unlock reported. */
export function spin_unlock_irqrestore(t: Task, lock: number, flags: number): void {
  spin_unlock_dep(t, lock);
  local_irq_restore(t, flags, SITE_UNLOCK_IRQRESTORE);
}

/** spin_lock_irq: interrupts off unconditionally, then spin_lock (findings titled after
 *  spin_lock_irq). For callers that know interrupts are on: spin_unlock_irq turns them on. */
export function spin_lock_irq(t: Task, lock: number): void {
  local_irq_disable(t);
  lockTitled(t, lock, SITE_IRQ);
}

/** spin_unlock_irq: spin_unlock, then interrupts on (local_irq_enable) — also inside an outer
 *  local_irq_save section, the kernel's bug this call makes when interrupts were off before. */
export function spin_unlock_irq(t: Task, lock: number): void {
  spin_unlock_dep(t, lock);
  local_irq_enable(t, SITE_UNLOCK_IRQ);
}

/**
 * spin_acquire and the lock, for any spinlock with a lockdep class — a spinlock_t, a fence's lock
 * (spinlock_fence.ts): with class `cls` (0: not validated, the lock alone), the class's irq usage
 * in the task's context now (lockdep_irq.ts: an inconsistent one reported on `obj` after `site`;
 * before the dependencies, as mark_usage precedes validate_chain), check_deadlock (a held lock of
 * the class is LOCK_RECURSIVE) or else the dependencies of taking lock ref `ref` now — none of
 * them after a usage report (lockdep.ts) —, then take. Context: any task; never sleeps.
 */
export function spinLockClassed(t: Task, idx: number, obj: number, cls: number, ref: number, site: number): void {
  if (cls !== 0) {
    const ld = lockdepLayout(t.arena);
    if (!lockdepMarkUsage(t, ld, cls, irqUsageBit(t), obj, site)) checkExclusive(t, ld, cls, ref, site, obj);
  }
  take(t, idx, obj, cls, ref, site);
}

/**
 * Release the word at `idx` taken by spinLockClassed with class `cls` and lock ref `ref`: lockdep's
 * release first, then spinlock.ts spin_unlock (which runs the RCU callbacks queued meanwhile once
 * the task is preemptible). The caller checked that `t` holds it.
 */
export function spinUnlockClassed(t: Task, idx: number, cls: number, ref: number): void {
  if (cls !== 0) heldPop(t, lockdepLayout(t.arena), cls, ref);
  spin_unlock(t, idx);
}

/**
 * The word at `idx` (spinlock.ts spin_lock: a word the task holds is SPIN_RECURSION on `obj`,
 * titled after `site` as lockdep's report of the same call is), then, with class `cls`, lockdep's
 * held stack (lock ref `ref`) until spinUnlockClassed. With a lockdep class, the caller's
 * lockdep checks and usage marking came first, as in the kernel.
 */
function take(t: Task, idx: number, obj: number, cls: number, ref: number, site: number): void {
  spin_lock(t, idx, obj, site);
  if (cls !== 0) heldPush(t, lockdepLayout(t.arena), cls, ref);
}

/** A nest lock other than a mutex: spinlock_t `spinlock` (the kernel takes any lock's dep_map). */
export interface SpinNest { readonly spinlock: number }

/**
 * spin_lock_nest_lock: spin_lock of `lock` under nest lock `nest` — a mutex, or a spinlock given
 * as `{ spinlock }` — which the task holds and which serializes every lock of `lock`'s class it
 * takes (lockdep's nest_lock). The class's irq usage is marked first (__lock_acquire's mark_usage
 * precedes its nest_lock check; a usage report skips the rest of lockdep's checks, lockdep.ts).
 * Not holding `nest` is lockdep's print_lock_nested_lock_not_held
 * (LOCK_NEST_NOT_HELD, titled after spin_lock_nest_lock, object `lock`), after which lockdep
 * records nothing more for this acquisition; the lock is taken and held either way. Holding it, a
 * lock of the class already held is no recursive locking when `nest` was taken before it
 * (check_deadlock); the rest is spin_lock's. A spinlock nest with no lockdep class counts as held
 * while its word names the task as owner. Not modelled: __lock_acquire's merge — with a nest_lock
 * and the top held lock of the same class it only adds a reference and returns, before
 * check_wait_context and mark_usage — so the model marks the usage of such an acquisition, which
 * the kernel would not (its class was marked when the top lock was taken, maybe in another irq
 * state).
 */
export function spin_lock_nest_lock(t: Task, lock: number, nest: Mutex | SpinNest): void {
  const cls = spinClass(t, lock);
  const n = nestOf(t, nest);
  const reported = cls !== 0 && lockdepMarkUsage(t, lockdepLayout(t.arena), cls, irqUsageBit(t), lock, SITE_NEST);
  if (!reported) {
    if (!n.held) t.warn('LOCK_NEST_NOT_HELD', lock, SITE_NEST);
    else if (cls !== 0) nestedDeps(t, cls, lock, n.cls, n.ref);
  }
  take(t, privIndex(t, lock), lock, cls, spinRef(lock), SITE_NEST);
}

/** Nest lock `nest`'s class, lock ref, and whether `t` holds it (lockdep's __lock_is_held). */
function nestOf(t: Task, nest: Mutex | SpinNest): { readonly cls: number; readonly ref: number; readonly held: boolean } {
  if (typeof nest === 'number') return { cls: lockdepMutexClassOf(t.arena, nest), ref: nest + 1, held: lock_is_held(t, nest) };
  const cls = spinClass(t, nest.spinlock);
  const ref = spinRef(nest.spinlock);
  const held = cls === 0 ? spin_held_by(t, privIndex(t, nest.spinlock)) : heldCtxIndex(t, lockdepLayout(t.arena), cls, ref) >= 0;
  return { cls, ref, held };
}

/**
 * spin_lock_nest_lock's checks with the nest lock (class `nestCls`, lock ref `nestRef`) held:
 * recursion unless it nests `lock`; the dependencies only when no lock of the class is held. A
 * nested acquisition (check_deadlock returns 2) records none, as validate_chain adds none for it
 * — unlike a ww context's nested locks (lockdep.ts), whose stricter rule would turn the
 * selftest's SUCCESS case ww_test_spin_nest_lock (X; Y1 nest X; A; Y2 nest X) into a false
 * A → Y → A cycle.
 */
function nestedDeps(t: Task, cls: number, lock: number, nestCls: number, nestRef: number): void {
  const ld = lockdepLayout(t.arena);
  const at = heldCheck(t, ld, cls, nestCls, nestRef);
  if (at === HELD_RECURSIVE) t.warn('LOCK_RECURSIVE', lock, SITE_NEST);
  else if (at === HELD_NONE) checkDeps(t, ld, cls, spinRef(lock), SITE_NEST, lock);
}

/**
 * spin_unlock: release `lock`, which the task holds (lockdep's release first, then the word;
 * the task's last spinlock runs its queued RCU callbacks, spinlock.ts). CONFIG_DEBUG_SPINLOCK's
 * debug_spin_unlock checks the caller first: a lock nobody holds is SPIN_ALREADY_UNLOCKED ("already
 * unlocked"), one another task holds SPIN_WRONG_OWNER ("wrong owner"), both on `lock` and titled
 * after spin_unlock with their condition. Either way the model changes nothing — the word, both
 * tasks' counts of held spinlocks (in_atomic()) and their lockdep stacks stay right — where the
 * kernel prints and goes on: it releases the lock (from under its owner) and the caller's preempt
 * count underflows.
 *
 * Two kernel details the model does not follow: spin_bug prints only while debug_locks is on, so
 * a kernel reports the first lock bug of its boot and no later one; the model reports every such
 * unlock (once per task, lock and check: task.ts recordFinding). And with lockdep on, spin_release
 * runs before debug_spin_unlock: lockdep's "bad unlock balance detected!" (the caller does not
 * hold the lock) prints first and turns debug_locks off, which silences spin_bug; the model
 * reports the spinlock check for a lock with a lockdep class as for one without, and no lockdep
 * finding.
 */
export function spin_unlock_dep(t: Task, lock: number): void {
  const word = Atomics.load(t.i32, privIndex(t, lock));
  if (word !== spinOwnerWord(t)) {
    t.warn(word === 0 ? 'SPIN_ALREADY_UNLOCKED' : 'SPIN_WRONG_OWNER', lock);
    return;
  }
  spinUnlockClassed(t, privIndex(t, lock), spinClass(t, lock), spinRef(lock));
}
