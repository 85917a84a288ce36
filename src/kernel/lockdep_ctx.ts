/**
 * lockdep and a ww acquire context (6.13+): the context's map (its ww_class's acquire class, the
 * nest_lock of the context's ww_mutexes) and its first_lock_dep_map (of the ww_class's mutex
 * class), which ww_acquire_init takes and ww_acquire_fini releases (ww_acquire.ts), whether a
 * task holds them (ww_acquire_done's lockdep_assert_held), and the nest_lock check an
 * acquisition through the context passes or not (ww_mutex_acquired.ts nestOrStale; the
 * dependencies it then adds are lockdep_hooks.ts lockdepAcquire's).
 *
 * Where the held stack cannot tell (nothing validated, or the stack overflowed) the task owning
 * the live context counts as holding its map. Cost: O(held locks), no allocation.
 */
import { CTXS_LIVE, X_CLASS, X_OWNER, X_STATE } from '../shm/layout.js';
import { lockdepCtxAcquireClass } from './lockdep_class.js';
import {
  HELD_NONE, HELD_RECURSIVE, heldCheck, heldCtxIndex, heldCtxPop, heldEntry, heldOverflowPop, heldPush, heldRefOf, heldStack,
} from './lockdep_held.js';
import { checkDeps } from './lockdep_hooks.js';
import {
  HELD_ACQ, HELD_CLASS_MASK, HELD_FIRST, HE_CLASS, HS_DEPTH, HS_LOW, HS_OVERFLOW, type LockdepLayout, lockdepLayout,
} from './lockdep_layout.js';
import type { Task } from './task.js';
import type { WwCtx } from './types.js';
import { siteId } from './warn.js';

const SITE_CTX_INIT = siteId('ww_acquire_init');

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
