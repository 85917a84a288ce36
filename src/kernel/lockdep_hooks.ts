/**
 * The validator's hooks called by the model: mutex_lock_common.ts (acquire attempt),
 * ww_mutex_acquired.ts (acquired), mutex_unlock.ts (release), and the lockdep annotations
 * lockdep_assert_held / lock_is_held; an acquire context's maps and the nest_lock check
 * (ww_acquire.ts, ww_mutex_acquired.ts) live in lockdep_ctx.ts, the pseudo-lock annotations
 * (might_lock, lock_map_acquire / lock_map_release, dma_fence_map's hooks for fence waits and
 * signalling sections) in lockdep_map.ts.
 *
 * A blocking acquisition attempt adds an edge held class → acquired class for every held lock of
 * another class; when an edge is NEW and the acquired class already reaches the held one, the
 * cycle is recorded once as LOCKDEP_CIRCULAR with aux = [held class, acquired class, the serial
 * bound read after the search, held-as-read] (lockdepNewDependency). Cost: every hook is O(held
 * locks) with no allocation; the cycle search runs only for a new edge (its matrix bit was clear).
 */
import { C_STEP, C_TRIAL, M_KEY, M_OWNER, M_STALE } from '../shm/layout.js';
import { addEdge, lockdepSerialBound, reaches } from './lockdep_graph.js';
import { lockdepIrqDependency } from './lockdep_irq.js';
import { HELD_NONE, HELD_RECURSIVE, heldCheck, heldEntry, heldLockRef, heldPop, heldPush, heldStack } from './lockdep_held.js';
import { HELD_ACQ, HELD_CLASS_MASK, HELD_READ, HE_CLASS, HS_DEPTH, HS_LOW, type LockdepLayout, lockdepLayout } from './lockdep_layout.js';
import type { Task } from './task.js';
import type { Mutex, WwCtx } from './types.js';
import { siteId } from './warn.js';

/** How a blocking acquisition was asked for (lockdepAcquire): the function a finding names. */
export const ACQ_MUTEX = 0;
export const ACQ_WW = 1;
export const ACQ_WW_SLOW = 2;
export const ACQ_NESTED = 3;
/** The lock function of each kind of acquisition (by ACQ_*): what findings and might_sleep name. */
export const ACQ_FNS: readonly string[] = ['mutex_lock', 'ww_mutex_lock', 'ww_mutex_lock_slow', 'mutex_lock_nested'];
const ACQ_SITES = ACQ_FNS.map(siteId);

/**
 * Dependencies of acquiring class `cls` (lock ref `ref`) on every held lock of another class,
 * from held entry `from` up (-1: all) and in the current irq_context (none below t.irqHeldFloor:
 * a lock held when the interrupt came), whose edge is not yet recorded; a cycle is reported at
 * `site` on object `obj`. Returns whether a cycle was reported. Allocation-free.
 */
export function checkDeps(t: Task, ld: LockdepLayout, cls: number, ref: number, site: number, obj: number, from = -1): boolean {
  const h = t.i32;
  const s = heldStack(t, ld);
  const d = h[s + HS_DEPTH]!;
  const row = ld.adj + (cls >>> 5);
  const bit = 1 << (cls & 31);
  let reported = false;
  for (let i = Math.max(from, h[s + HS_LOW]!, t.irqHeldFloor); i < d; i++) {
    const e = heldEntry(s, i);
    const hc = h[e + HE_CLASS]! & HELD_CLASS_MASK;
    if (hc === 0 || hc === cls || (h[row + hc * ld.rowWords]! & bit) !== 0) continue;
    if (dependOn(t, ld, e, hc, cls, ref, site, obj)) reported = true;
  }
  return reported;
}

/** A new dependency held entry `e` (class `hc`) → `cls`: record it (addEdge), then its checks
 *  (lockdepNewDependency) when this thread set it; returns whether they reported. */
function dependOn(t: Task, ld: LockdepLayout, e: number, hc: number, cls: number, ref: number, site: number, obj: number): boolean {
  const h = t.i32;
  if (addEdge(h, ld, hc, cls, t.id, h[t.ctl + C_TRIAL]!, h[t.ctl + C_STEP]!, heldLockRef(h, e), ref) === 0) return false;
  return lockdepNewDependency(t, ld, e, hc, cls, site, obj);
}

/**
 * The checks of dependency held entry `e` (class `hc`) → `cls`, whose edge this thread has just
 * set (addEdge returned non-zero): a cycle it closes — `cls` reaches `hc` — is LOCKDEP_CIRCULAR at
 * `site` on object `obj`, aux [hc, cls, serial bound, held-as-read]; else a HARDIRQ-safe →
 * HARDIRQ-unsafe order (lockdep_irq.ts lockdepIrqDependency). The bound is read after the search
 * (lockdepSerialBound), not taken from addEdge's serial: under stress the cycle found may run over
 * another thread's edge published in between, and the record's chain (lockdep_circular.ts) must
 * hold it. Returns whether it reported. Context: the task `e` belongs to; allocation-free unless
 * it reports.
 */
export function lockdepNewDependency(t: Task, ld: LockdepLayout, e: number, hc: number, cls: number, site: number, obj: number): boolean {
  const h = t.i32;
  if (!reaches(h, ld, cls, hc)) return lockdepIrqDependency(t, ld, hc, cls, obj, site);
  t.warn('LOCKDEP_CIRCULAR', obj, site, [hc, cls, lockdepSerialBound(h, ld), (h[e + HE_CLASS]! & HELD_READ) !== 0 ? 1 : 0]);
  return true;
}

/**
 * A blocking acquisition attempt of `lock` as class `cls` — its own, or the subclass class
 * mutex_lock_nested asked for; 0: not validated — through `ctx` (null: none), asked for as `how`
 * (ACQ_*), before it may sleep (mutex_lock_common.ts lockCommon). `nest` is
 * lockdepCtxNest(t, cls, ctx) for a context (lockdep_ctx.ts), taken by the caller at this attempt
 * (ignored without one). Through a context
 * whose map the task does not hold (`nest` LOCKDEP_NOT_NESTED) lockdep stops at "nested lock was
 * not taken", which ww_mutex_acquired.ts nestOrStale reports at the same point: nothing is
 * checked or recorded here (the lock is still pushed once acquired, lockdep.ts's rule after a
 * report: ww_mutex_acquired.ts onAcquired), nor through a context whose map is not validated
 * (`nest` 0). Else
 * lockdep's check_deadlock comes first (heldCheck): blocking on a class the task already holds —
 * a live context's first_lock_dep_map counts — is LOCK_RECURSIVE (titled after mutex_lock or
 * mutex_lock_nested for a plain mutex, ww_mutex_lock for a ww_mutex) and adds no dependency,
 * unless `ctx` nests it: this context's own map is held below the class's first entry, as the
 * context is the nest_lock of its ww_mutexes. Then the new dependencies (checkDeps): of a nested
 * acquisition only on the locks taken after the first real lock of its class (lockdep adds none;
 * lockdep.ts says why the model adds these).
 */
export function lockdepAcquire(t: Task, lock: Mutex, cls: number, ctx: WwCtx | null, how: number, nest: number): void {
  if (cls === 0) return;
  const ld = lockdepLayout(t.arena);
  let from: number;
  if (ctx === null) from = heldCheck(t, ld, cls, 0, 0);
  else {
    if (nest <= 0) return;
    from = heldCheck(t, ld, cls, nest | HELD_ACQ, ctx + 1);
  }
  if (from === HELD_RECURSIVE) {
    t.warn('LOCK_RECURSIVE', lock, how === ACQ_WW || how === ACQ_WW_SLOW ? 0 : ACQ_SITES[how]);
    return;
  }
  checkDeps(t, ld, cls, lock + 1, ACQ_SITES[how]!, lock, from === HELD_NONE ? -1 : from);
}

/**
 * lockdep's check_wait_context for a blocking acquisition of `lock` (a mutex or ww_mutex: wait
 * type LD_WAIT_SLEEP) asked for as `how` (ACQ_*) while the task holds a spinlock — any, the
 * model's own untracked ones too: in_atomic(), preempt.ts — the caller having read that: "BUG:
 * Invalid wait context" (INVALID_WAIT_CONTEXT, titled after the lock call, on `lock`), whatever the
 * lock's class (every mutex is a lockdep class in the kernel). In the kernel check_wait_context
 * returns print_lock_invalid_wait_context's 0, so __lock_acquire goes on, but the report turned
 * lockdep off (debug_locks_off): mark_lock and validate_chain fail at graph_lock, and nothing more
 * is marked or recorded. The model goes on validating after a report (lockdep.ts), so the caller
 * skips the rest instead — no usage mark, nest_lock check or dependency for the acquisition (the
 * lock still joins the held stack once acquired, lockdep.ts). Context: the acquiring task, before
 * it may sleep; changes nothing but the findings.
 */
export function lockdepInvalidWait(t: Task, lock: Mutex, how: number): void {
  t.warn('INVALID_WAIT_CONTEXT', lock, ACQ_SITES[how]);
}

/**
 * `lock` was acquired as class `cls` (blocking or trylock; 0: not validated): it is now held. Its
 * irq usage was marked before (lockdep_irq.ts lockdepMarkSleepingLock: __lock_acquire's order).
 */
export function lockdepAcquired(t: Task, lock: Mutex, cls: number): void {
  if (cls !== 0) heldPush(t, lockdepLayout(t.arena), cls, lock + 1);
}

/** `lock` was released by a task that held it. */
export function lockdepRelease(t: Task, lock: Mutex): void {
  const cls = t.i32[t.arena.mutex(lock) + M_KEY]!;
  if (cls !== 0) heldPop(t, lockdepLayout(t.arena), cls, lock + 1);
}

/**
 * lock_is_held: whether `t` holds `lock` as lockdep knows — it owns it, or owned it until another
 * task's unlock released it and has not unlocked it since (M_STALE, mutex_unlock.ts): its held
 * entry stays until its own unlock. Any task; a snapshot, never sleeps.
 */
export function lock_is_held(t: Task, lock: Mutex): boolean {
  const m = t.arena.mutex(lock);
  return Atomics.load(t.i32, m + M_OWNER) === t.id + 1 || (Atomics.load(t.i32, m + M_STALE) & (1 << t.id)) !== 0;
}

/**
 * lockdep_assert_held / lockdep_assert_held_write: WARN (lock-not-held, titled after `caller`)
 * unless the calling task holds `lock` (lock_is_held). The model's sleeping locks have one mode,
 * so the write form is the same check. Returns whether the task holds it. Context: any; never
 * sleeps.
 */
export function lockdep_assert_held(t: Task, lock: Mutex, caller = 'lockdep_assert_held'): boolean {
  if (lock_is_held(t, lock)) return true;
  t.warn('LOCK_NOT_HELD', lock, siteId(caller));
  return false;
}
