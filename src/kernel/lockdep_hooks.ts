/**
 * The validator's hooks called by the model: ww_mutex.ts (acquire attempt), ww_mutex_acquired.ts
 * (the nest_lock check, acquired), ww_acquire.ts (a context's maps), mutex_unlock.ts (release),
 * and the lockdep annotations lockdep_assert_held / lock_is_held; the pseudo-lock annotations
 * (might_lock, lock_map_acquire / lock_map_release, dma_fence_map's hooks for fence waits and
 * signalling sections) live in lockdep_map.ts.
 *
 * A blocking acquisition attempt adds an edge held class → acquired class for every held lock of
 * another class; when an edge is NEW and the acquired class already reaches the held one, the
 * cycle is recorded once as LOCKDEP_CIRCULAR with aux = [held class, acquired class, the serial
 * bound addEdge returned, held-as-read]. Cost: every hook is O(held locks) with no allocation; the cycle search runs only
 * for a new edge (its matrix bit was clear).
 */
import { CTXS_LIVE, C_STEP, C_TRIAL, M_KEY, M_OWNER, M_STALE, X_CLASS, X_OWNER, X_STATE } from '../shm/layout.js';
import { lockdepCtxAcquireClass } from './lockdep_class.js';
import { addEdge, reaches } from './lockdep_graph.js';
import { lockdepIrqDependency } from './lockdep_irq.js';
import {
  HELD_NONE, HELD_RECURSIVE, heldCheck, heldCtxIndex, heldCtxPop, heldEntry, heldLockRef, heldOverflowPop, heldPop, heldPush, heldRefOf,
  heldStack,
} from './lockdep_held.js';
import {
  HELD_ACQ, HELD_CLASS_MASK, HELD_FIRST, HELD_READ, HE_CLASS, HS_DEPTH, HS_LOW, HS_OVERFLOW, type LockdepLayout, lockdepLayout,
} from './lockdep_layout.js';
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
const SITE_CTX_INIT = siteId('ww_acquire_init');

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

/** A new dependency held entry `e` (class `hc`) → `cls`: record it, report a closed cycle, else
 *  a HARDIRQ-safe → HARDIRQ-unsafe order (lockdep_irq.ts); returns whether it reported. */
function dependOn(t: Task, ld: LockdepLayout, e: number, hc: number, cls: number, ref: number, site: number, obj: number): boolean {
  const h = t.i32;
  const serial = addEdge(h, ld, hc, cls, t.id, h[t.ctl + C_TRIAL]!, h[t.ctl + C_STEP]!, heldLockRef(h, e), ref);
  if (serial === 0) return false;
  if (!reaches(h, ld, cls, hc)) return lockdepIrqDependency(t, ld, hc, cls, obj, site);
  t.warn('LOCKDEP_CIRCULAR', obj, site, [hc, cls, serial, (h[e + HE_CLASS]! & HELD_READ) !== 0 ? 1 : 0]);
  return true;
}

/**
 * A blocking acquisition attempt of `lock` as class `cls` — its own, or the subclass class
 * mutex_lock_nested asked for; 0: not validated — through `ctx` (null: none), asked for as `how`
 * (ACQ_*), before it may sleep (ww_mutex.ts lockCommon). `nest` is lockdepCtxNest(t, cls, ctx)
 * for a context, taken by the caller at this attempt (ignored without one). Through a context
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
 * model's own untracked ones too: in_atomic(), spinlock.ts — the caller having read that: "BUG: Invalid
 * wait context" (INVALID_WAIT_CONTEXT, titled after the lock call, on `lock`), whatever the lock's
 * class (every mutex is a lockdep class in the kernel). __lock_acquire returns there, before the
 * nest_lock check and validate_chain: the caller checks and records nothing more for the
 * acquisition (the lock still joins the held stack once acquired, lockdep.ts). Context: the
 * acquiring task, before it may sleep; changes nothing but the findings.
 */
export function lockdepInvalidWait(t: Task, lock: Mutex, how: number): void {
  t.warn('INVALID_WAIT_CONTEXT', lock, ACQ_SITES[how]);
}

/** The lock class of `ctx`'s map (its ww_class's acquire class), 0 when not validated. */
function ctxAcquireClass(t: Task, ctx: WwCtx): number {
  return lockdepCtxAcquireClass(t, t.i32[t.arena.ctx(ctx) + X_CLASS]! - 1);
}

/** Whether `t` owns `ctx` and has not finished it: what tells when the held stack cannot. */
function ctxOwnedLive(t: Task, ctx: WwCtx): boolean {
  const xb = t.arena.ctx(ctx);
  return t.i32[xb + X_OWNER] === t.id + 1 && t.i32[xb + X_STATE] === CTXS_LIVE;
}

/** lockdepCtxNest: the acquisition does not pass the nest_lock check. */
export const LOCKDEP_NOT_NESTED = -1;

/**
 * Whether an acquisition of class `cls` (0: not validated) through `ctx` passes lockdep's
 * nest_lock check (__lock_acquire): the top held entry is of the class (the two merge, checked
 * first), or `t` holds this context's map — the instance, not any context of its class. Not
 * passing is print_lock_nested_lock_not_held: the context was finished, or is another task's.
 * Where the stack cannot tell (nothing validated, or the stack overflowed) `t` owning the live
 * context counts as holding its map. Returns LOCKDEP_NOT_NESTED when it does not pass, else the
 * class of `ctx`'s map (0 when `cls` or the map is not validated), which lockdepAcquire takes so
 * that an attempt looks the class up once. Context: the acquiring task, before the lock joins
 * its stack.
 */
export function lockdepCtxNest(t: Task, cls: number, ctx: WwCtx): number {
  const acq = ctxAcquireClass(t, ctx);
  if (cls === 0 || acq === 0) return ctxOwnedLive(t, ctx) ? 0 : LOCKDEP_NOT_NESTED;
  return ctxNests(t, lockdepLayout(t.arena), cls, ctx, acq) ? acq : LOCKDEP_NOT_NESTED;
}

/** lockdepCtxNest for validated classes `cls` and `acq` (the context's map class). */
function ctxNests(t: Task, ld: LockdepLayout, cls: number, ctx: WwCtx, acq: number): boolean {
  const h = t.i32;
  const s = heldStack(t, ld);
  const d = h[s + HS_DEPTH]!;
  if (d > h[s + HS_LOW]! && (h[heldEntry(s, d - 1) + HE_CLASS]! & HELD_CLASS_MASK) === cls) return true;
  return ctxMapHeld(t, ld, ctx, acq);
}

/**
 * Whether `t` holds `ctx`'s map, of validated class `acq`: its pseudo entry is on `t`'s stack,
 * or the stack overflowed (it cannot tell) and `t` owns the live context.
 */
function ctxMapHeld(t: Task, ld: LockdepLayout, ctx: WwCtx, acq: number): boolean {
  if (heldCtxIndex(t, ld, acq | HELD_ACQ, ctx + 1) >= 0) return true;
  return t.i32[heldStack(t, ld) + HS_OVERFLOW]! > 0 && ctxOwnedLive(t, ctx);
}

/**
 * lockdep_assert_held(ctx) for an acquire context (ww_acquire_done): whether `t` holds `ctx`'s
 * map, which lockdepCtxInit took (classes `acq`, `first`) and lockdepCtxFini releases — not after
 * ww_acquire_fini, nor in a task that does not own the context. Where nothing is validated `t`
 * owning the live context counts as holding it. Context: any task; a snapshot, never sleeps.
 */
export function lockdepCtxHeld(t: Task, ctx: WwCtx, acq: number, first: number): boolean {
  if (acq === 0 || first === 0) return ctxOwnedLive(t, ctx);
  return ctxMapHeld(t, lockdepLayout(t.arena), ctx, acq);
}

/**
 * ww_acquire_init's lockdep part (6.13+): acquire the context's map, class `acq` (the ww_class's
 * acquire_key), then its first_lock_dep_map, class `first` (the ww_class's mutex_key) nested
 * under it, and hold both (entries naming `ctx`) until lockdepCtxFini. So a context's locks
 * depend on what was held at ww_acquire_init, and a lock taken between ww_acquire_init and the
 * context's first ww_mutex already depends on the mutex class. A second context of the class in
 * the task is WW_TWO_CONTEXTS (ww_acquire.ts): lockdep stops at that recursion, so the model
 * adds no dependency and makes no check for the second context's maps, but still holds them, so
 * its own locks nest under it and its fini releases them. Context: the owning task, `ctx` its
 * new context.
 */
export function lockdepCtxInit(t: Task, ctx: WwCtx, acq: number, first: number): void {
  if (acq === 0 || first === 0) return;
  const ld = lockdepLayout(t.arena);
  const second = heldCheck(t, ld, acq, 0, 0) !== HELD_NONE;
  if (!second) checkDeps(t, ld, acq, 0, SITE_CTX_INIT, ctx);
  heldPush(t, ld, acq | HELD_ACQ, ctx + 1);
  if (!second) firstLockDeps(t, ld, ctx, acq, first);
  heldPush(t, ld, first | HELD_FIRST, ctx + 1);
}

/**
 * The checks of taking context `ctx`'s first_lock_dep_map (class `first`) nested under its map
 * (class `acq`), the top held entry: a lock of class `first` held already is recursive locking
 * (LOCK_RECURSIVE titled after ww_acquire_init, on that lock); else the map → `first`
 * dependency only. The model's rule elsewhere is an edge from every held lock (lockdep.ts), but
 * here that adds nothing: every lock held below the map got an edge to the map just before
 * (lockdepCtxInit), so they reach `first` through it — as lockdep's check_prevs_add, which stops
 * at the nearest held lock — and the chains reported keep the map between them.
 */
function firstLockDeps(t: Task, ld: LockdepLayout, ctx: WwCtx, acq: number, first: number): void {
  const from = heldCheck(t, ld, first, acq | HELD_ACQ, ctx + 1);
  if (from === HELD_RECURSIVE) {
    const held = heldRefOf(t, ld, first);
    t.warn('LOCK_RECURSIVE', held > 0 ? held - 1 : ctx, SITE_CTX_INIT);
  } else if (from === HELD_NONE) {
    checkDeps(t, ld, first, 0, SITE_CTX_INIT, ctx, t.i32[heldStack(t, ld) + HS_DEPTH]! - 1);
  }
}

/**
 * ww_acquire_fini's lockdep part: release the maps lockdepCtxInit took for `ctx` (classes
 * `acq`, `first`) from `t`'s stack. Returns false when `t` does not hold the context's map —
 * lockdep's "bad unlock balance": a second fini, or another task's context, whose maps stay with
 * their owner —, and then releases nothing; where the stack cannot tell (nothing validated, or
 * the map overflowed the stack) `t` owning the live context counts as holding it. A map that
 * overflowed the stack at ww_acquire_init (the context's map, and so its first_lock_dep_map
 * pushed after it, or the latter alone) is released from the overflow count, as a lock's is
 * (lockdep_held.ts heldOverflowPop), so the stack balances. Context: `t`, the caller of fini.
 */
export function lockdepCtxFini(t: Task, ctx: WwCtx, acq: number, first: number): boolean {
  if (acq === 0 || first === 0) return ctxOwnedLive(t, ctx);
  const ld = lockdepLayout(t.arena);
  if (!heldCtxPop(t, ld, acq | HELD_ACQ, ctx + 1)) {
    if (!ctxMapHeld(t, ld, ctx, acq)) return false;
    heldOverflowPop(t, ld);
  }
  if (!heldCtxPop(t, ld, first | HELD_FIRST, ctx + 1)) heldOverflowPop(t, ld);
  return true;
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
