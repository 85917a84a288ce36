/**
 * ww_class and ww_acquire_ctx: DEFINE_WD_CLASS / DEFINE_WW_CLASS, ww_acquire_init/done/fini and
 * their debug checks (lib/locking-selftest.c "finishing ww context" and "contexts mixing").
 */
import {
  CTXS_FINI, CTXS_LIVE, C_NEXT_CLASS, C_NEXT_CTX, W_STAMP, W_WAIT_DIE, X_ACQUIRED, X_CLASS,
  X_CONTENDING, X_DONE, X_OWNER, X_STAMP, X_STATE, X_WOUNDED,
} from '../shm/layout.js';
import { allocCtxRow, allocRow } from './alloc.js';
import { lockdepCtxClasses } from './lockdep_class.js';
import { lockdepCtxFini, lockdepCtxHeld, lockdepCtxInit } from './lockdep_ctx.js';
import type { Task } from './task.js';
import type { WwClass, WwCtx } from './types.js';
import { siteId } from './warn.js';

const SITE_DONE = siteId('ww_acquire_done');

/** A new ww_class: wait-die when `waitDie` (DEFINE_WD_CLASS), else wound-wait (DEFINE_WW_CLASS). */
export function ww_class_init(t: Task, waitDie: boolean): WwClass {
  const a = t.arena;
  const id = allocRow(a, C_NEXT_CLASS, a.geometry.classes, 'ww_class');
  t.i32[a.wwClass(id) + W_WAIT_DIE] = waitDie ? 1 : 0;
  t.i32[a.wwClass(id) + W_STAMP] = 0;
  return id as WwClass;
}

/**
 * ww_acquire_init: a new transaction of class `cls` owned by `t`, with the next stamp of the
 * class (first stamp 1). Debug: WARN when `t` already has a live context of the same class.
 * lockdep (6.13+): the context's map and its first_lock_dep_map are held until ww_acquire_fini
 * (lockdepCtxInit: what the task holds now is ordered before the class's mutexes).
 */
export function ww_acquire_init(t: Task, cls: WwClass): WwCtx {
  const a = t.arena;
  const h = t.i32;
  const n = h[t.ctl + C_NEXT_CTX]!;
  for (let x = 0; x < n && x < a.geometry.ctxs; x++) {
    const xb = a.ctx(x);
    if (h[xb + X_STATE] === CTXS_LIVE && h[xb + X_OWNER] === t.id + 1 && h[xb + X_CLASS] === cls + 1) {
      t.warn('WW_TWO_CONTEXTS', x);
      break;
    }
  }
  const id = allocCtxRow(a, t.id);
  const xb = a.ctx(id);
  h[xb + X_STAMP] = Atomics.add(h, a.wwClass(cls) + W_STAMP, 1) + 1;
  h[xb + X_ACQUIRED] = 0;
  h[xb + X_WOUNDED] = 0;
  h[xb + X_DONE] = 0;
  h[xb + X_CLASS] = cls + 1;
  h[xb + X_OWNER] = t.id + 1;
  h[xb + X_CONTENDING] = 0;
  h[xb + X_STATE] = CTXS_LIVE;
  const [acq, first] = lockdepCtxClasses(t, cls);
  lockdepCtxInit(t, id as WwCtx, acq, first);
  return id as WwCtx;
}

/**
 * ww_acquire_done: no more locks will be taken with `ctx`. Debug, in the kernel's order: its
 * lockdep_assert_held(ctx) — LOCK_NOT_HELD titled after ww_acquire_done when `t` does not hold
 * the context's map (after ww_acquire_fini, or another task's context: lockdepCtxHeld) —, then
 * WW_DONE_TWICE when done_acquire is set already (ww_acquire_fini leaves it as it was, as with
 * CONFIG_PROVE_LOCKING). Context: any task; never sleeps.
 */
export function ww_acquire_done(t: Task, ctx: WwCtx): void {
  const h = t.i32;
  const xb = t.arena.ctx(ctx);
  const [acq, first] = lockdepCtxClasses(t, h[xb + X_CLASS]! - 1);
  if (!lockdepCtxHeld(t, ctx, acq, first)) t.warn('LOCK_NOT_HELD', ctx, SITE_DONE);
  if (h[xb + X_DONE] !== 0) t.warn('WW_DONE_TWICE', ctx);
  h[xb + X_DONE] = 1;
}

/**
 * ww_acquire_fini: end the transaction; lockdep releases the context's maps from the caller's
 * held locks. When the caller does not hold them — a second fini, or a task that does not own
 * the context — that release is lockdep's "bad unlock balance" (WW_FINI_TWICE), which turns the
 * debug checks off, and the call changes nothing: the context stays its owner's (live, its maps
 * on the owner's stack). Else WARN when locks are still held through it. done_acquire is left as
 * it was, as with CONFIG_PROVE_LOCKING (lockdep, not done_acquire, catches a later use: a lock
 * through the finished context is "nested lock was not taken", a ww_acquire_done its assert that
 * the context's map is held).
 */
export function ww_acquire_fini(t: Task, ctx: WwCtx): void {
  const h = t.i32;
  const xb = t.arena.ctx(ctx);
  const [acq, first] = lockdepCtxClasses(t, h[xb + X_CLASS]! - 1);
  if (!lockdepCtxFini(t, ctx, acq, first)) { t.warn('WW_FINI_TWICE', ctx); return; }
  if (h[xb + X_ACQUIRED] !== 0) t.warn('WW_FINI_HELD', ctx);
  h[xb + X_STATE] = CTXS_FINI;
}

/** ctx.stamp, for tests and reports. */
export function ww_ctx_stamp(t: Task, ctx: WwCtx): number {
  return t.i32[t.arena.ctx(ctx) + X_STAMP]!;
}

/** Locks held through `ctx` (ctx.acquired). */
export function ww_ctx_acquired(t: Task, ctx: WwCtx): number {
  return t.i32[t.arena.ctx(ctx) + X_ACQUIRED]!;
}

/** Whether `ctx` has been wounded (wound-wait) and not yet cleared by a fresh start. */
export function ww_ctx_wounded(t: Task, ctx: WwCtx): boolean {
  return t.i32[t.arena.ctx(ctx) + X_WOUNDED] !== 0;
}
