/**
 * dma_resv (drivers/dma-buf/dma-resv.c): a ww_mutex of a wait-die class plus a fence list with
 * usages KERNEL < WRITE < READ < BOOKKEEP.
 *
 * Locking: the lock wrappers are ww_mutex calls (see ww_mutex.ts for results). Writers of the
 * fence list (reserve, add, replace) must hold the lock — checked per calling task with
 * dma_resv_assert_held. Reservations are valid for the current lock hold only: unlock resets
 * max_fences to num_fences (the debug-build contract, always enforced here).
 */
import { EINVAL, ENOMEM } from '../errno/errno.js';
import {
  C_NEXT_RESV, C_QUIRKS, M_OWNER, QUIRK_RESV_NO_SEQNO_CHECK, RESVF_LIST, RESVF_LIVE, R_FLAGS, R_GEN, R_LOCK, R_MAX, R_NUM, R_SLOTS, SLOT_FENCE,
  SLOT_USAGE, SLOT_WORDS, packOp,
} from '../shm/layout.js';
import { EV_FENCE_ADD } from '../trace/ops.js';
import { allocRow } from './alloc.js';
import { dma_fence_context, dma_fence_is_later_or_same } from './dma_fence_order.js';
import { dma_fence_get, dma_fence_put } from './dma_fence_ref.js';
import { dma_fence_is_signaled } from './dma_fence_signal.js';
import { RESERVATION_CLASS_NAME } from './lockdep.js';
import { siteId } from './warn.js';
import type { Task } from './task.js';
import type { Fence, KGen, Mutex, Resv, WwClass, WwCtx } from './types.js';
import {
  ww_mutex_ctx, ww_mutex_init, ww_mutex_is_locked, ww_mutex_lock, ww_mutex_lock_interruptible,
  ww_mutex_lock_slow, ww_mutex_lock_slow_interruptible, ww_mutex_trylock, ww_mutex_unlock,
} from './ww_mutex.js';

export const DMA_RESV_USAGE_KERNEL = 0;
export const DMA_RESV_USAGE_WRITE = 1;
export const DMA_RESV_USAGE_READ = 2;
export const DMA_RESV_USAGE_BOOKKEEP = 3;
export type DmaResvUsage = 0 | 1 | 2 | 3;

/** The global reservation_ww_class (wait-die), made by kernelReset as class 0. */
export const RESERVATION_WW_CLASS = 0 as WwClass;

/** dma_resv_usage_rw: READ for a writer (wait for readers and writers), WRITE for a reader. */
export function dma_resv_usage_rw(write: boolean): DmaResvUsage {
  return write ? DMA_RESV_USAGE_READ : DMA_RESV_USAGE_WRITE;
}

/**
 * dma_resv_init: a new reservation object; its lock is of `cls` (default reservation_ww_class).
 * Its lockdep class is always reservation_ww_class_mutex, as in the kernel.
 */
export function dma_resv_init(t: Task, cls: WwClass = RESERVATION_WW_CLASS): Resv {
  const a = t.arena;
  const id = allocRow(a, C_NEXT_RESV, a.geometry.resvs, 'dma_resv') as Resv;
  const r = a.resv(id);
  const h = t.i32;
  h[r + R_LOCK] = ww_mutex_init(t, cls, RESERVATION_CLASS_NAME);
  h[r + R_NUM] = 0;
  h[r + R_MAX] = 0;
  h[r + R_GEN] = 0;
  h[r + R_FLAGS] = RESVF_LIVE;
  return id;
}

/**
 * dma_resv_fini: drop the references on every fence in the list and destroy the lock — the
 * kernel's "This object should be dead and all references must have been released to it":
 * `dma_resv_list_free(obj->fences); ww_mutex_destroy(&obj->lock);`, where mutex_destroy is
 * `DEBUG_LOCKS_WARN_ON(mutex_is_locked(lock)); lock->magic = NULL;`. Finishing a locked object
 * is that DEBUG_LOCKS_WARN_ON (RESV_FINI_LOCKED; it goes on, as the kernel does: the holder's
 * later unlock is a use after fini, reported by dma_resv_unlock). Finishing it twice frees the
 * fence list twice: reported as a use-after-free in dma_resv_fini, with no fence put again.
 */
export function dma_resv_fini(t: Task, obj: Resv): void {
  if (!resv_check(t, obj, 'dma_resv_fini')) return;
  if (dma_resv_is_locked(t, obj)) t.warn('RESV_FINI_LOCKED', obj);
  const r = t.arena.resv(obj);
  const n = t.i32[r + R_NUM]!;
  for (let i = 0; i < n; i++) dma_fence_put(t, t.i32[r + R_SLOTS + i * SLOT_WORDS + SLOT_FENCE]! as Fence);
  t.i32[r + R_NUM] = 0;
  Atomics.store(t.i32, r + R_FLAGS, 0);
}

/**
 * Check a reservation object at the start of `fn`: true while initialised and not finished;
 * false after reporting a use after dma_resv_fini (RESV_USE_AFTER_FINI, titled after `fn`). The
 * lock wrappers still take the lock after reporting — the model's lock row outlives the object,
 * so the caller's lock/unlock pairing stays intact and only the use is reported.
 */
function resv_check(t: Task, obj: Resv, fn: string): boolean {
  if ((Atomics.load(t.i32, t.arena.resv(obj) + R_FLAGS) & RESVF_LIVE) !== 0) return true;
  t.warn('RESV_USE_AFTER_FINI', obj, siteId(fn));
  return false;
}

/** The ww_mutex behind `obj`. */
export function dma_resv_mutex(t: Task, obj: Resv): Mutex {
  return t.i32[t.arena.resv(obj) + R_LOCK]! as Mutex;
}

/**
 * The lock wrappers: ww_mutex calls on the object's lock (ww_mutex.ts gives the results). Locking
 * a finished object is a use-after-free, reported before the lock is taken (resv_check).
 */
export function dma_resv_lock(t: Task, obj: Resv, ctx: WwCtx | null): KGen<number> {
  resv_check(t, obj, 'dma_resv_lock');
  return ww_mutex_lock(t, dma_resv_mutex(t, obj), ctx);
}
export function dma_resv_lock_interruptible(t: Task, obj: Resv, ctx: WwCtx | null): KGen<number> {
  resv_check(t, obj, 'dma_resv_lock_interruptible');
  return ww_mutex_lock_interruptible(t, dma_resv_mutex(t, obj), ctx);
}
export function dma_resv_lock_slow(t: Task, obj: Resv, ctx: WwCtx): KGen<void> {
  resv_check(t, obj, 'dma_resv_lock_slow');
  return ww_mutex_lock_slow(t, dma_resv_mutex(t, obj), ctx);
}
export function dma_resv_lock_slow_interruptible(t: Task, obj: Resv, ctx: WwCtx): KGen<number> {
  resv_check(t, obj, 'dma_resv_lock_slow_interruptible');
  return ww_mutex_lock_slow_interruptible(t, dma_resv_mutex(t, obj), ctx);
}

/** dma_resv_trylock: true when acquired (no context, no deadlock detection). */
export function* dma_resv_trylock(t: Task, obj: Resv): KGen<boolean> {
  resv_check(t, obj, 'dma_resv_trylock');
  return (yield* ww_mutex_trylock(t, dma_resv_mutex(t, obj), null)) === 1;
}

/**
 * dma_resv_unlock: expire this hold's reservations (max_fences = num_fences), then unlock. The
 * caller holds the lock.
 *
 * Unlocking a finished object is a use-after-free: dma_resv_fini is the last thing done before
 * the object embedding the resv is freed (dma_buf_release: `dma_resv_fini(dmabuf->resv)` and the
 * free of the dma_buf right after), and mutex_destroy has cleared `lock->magic` even where the
 * memory survives, so mutex_unlock of it trips debug_mutex_unlock's
 * `DEBUG_LOCKS_WARN_ON(lock->magic != lock)`. Reported as RESV_USE_AFTER_FINI titled after
 * dma_resv_unlock, then the lock row (which outlives the object in the model) is unlocked as
 * usual — it holds the caller's lock pairing. So a task that does not hold it (the object was
 * finished and unlocked before) gets, beside, __mutex_unlock_slowpath's
 * `MUTEX_WARN_ON(__owner_task(owner) != current)` (UNLOCK_NOT_HELD, from ww_mutex_unlock).
 */
export function dma_resv_unlock(t: Task, obj: Resv): void {
  const r = t.arena.resv(obj);
  if (resv_check(t, obj, 'dma_resv_unlock') && dma_resv_held(t, obj)) t.i32[r + R_MAX] = t.i32[r + R_NUM]!;
  ww_mutex_unlock(t, dma_resv_mutex(t, obj));
}

export function dma_resv_is_locked(t: Task, obj: Resv): boolean {
  return ww_mutex_is_locked(t, dma_resv_mutex(t, obj));
}

export function dma_resv_locking_ctx(t: Task, obj: Resv): WwCtx | null {
  return ww_mutex_ctx(t, dma_resv_mutex(t, obj));
}

/** dma_resv_held: the calling task holds the lock (lockdep's held-by-current). */
export function dma_resv_held(t: Task, obj: Resv): boolean {
  return Atomics.load(t.i32, t.arena.mutex(dma_resv_mutex(t, obj)) + M_OWNER) === t.id + 1;
}

/**
 * dma_resv_assert_held: WARN (lock-not-held, titled after `caller`) unless the calling task holds
 * the lock. Returns whether it does.
 */
export function dma_resv_assert_held(t: Task, obj: Resv, caller = 'dma_resv_assert_held'): boolean {
  if (dma_resv_held(t, obj)) return true;
  t.warn('RESV_NOT_HELD', obj, siteId(caller));
  return false;
}

/**
 * dma_resv_reserve_fences: make room for `num` more fences in this lock hold. Lock required.
 * Growing reallocates (capacity max(num + n, 2 · old max), or max(4, roundup_pow_of_two(n)) for
 * the first list or a list whose max was reset to 0) and drops signaled fences while copying.
 * 0; -ENOMEM beyond the arena's slots; -EINVAL (WARN) for `num` 0.
 */
export function dma_resv_reserve_fences(t: Task, obj: Resv, num: number): number {
  dma_resv_assert_held(t, obj, 'dma_resv_reserve_fences');
  if (num <= 0) { t.warn('RESV_RESERVE_ZERO', obj); return -EINVAL; }
  const h = t.i32;
  const r = t.arena.resv(obj);
  const cur = h[r + R_NUM]!;
  const max = h[r + R_MAX]!;
  const list = (h[r + R_FLAGS]! & RESVF_LIST) !== 0;
  if (list && max - cur >= num) return 0;
  const cap = t.arena.geometry.resvSlots;
  let want = list && max > 0 ? Math.max(cur + num, 2 * max) : Math.max(4, pow2(num));
  if (want > cap) want = cap;
  const kept = compact(t, obj);
  if (kept + num > want) return -ENOMEM;
  h[r + R_MAX] = want;
  h[r + R_FLAGS]! |= RESVF_LIST;
  return 0;
}

/** Reallocation's copy: drop signaled fences; returns how many stay. */
function compact(t: Task, obj: Resv): number {
  const h = t.i32;
  const r = t.arena.resv(obj);
  const n = h[r + R_NUM]!;
  let kept = 0;
  resvWriteBegin(t, r);
  for (let i = 0; i < n; i++) {
    const from = r + R_SLOTS + i * SLOT_WORDS;
    const f = h[from + SLOT_FENCE]! as Fence;
    if (dma_fence_is_signaled(t, f)) { dma_fence_put(t, f); continue; }
    const to = r + R_SLOTS + kept * SLOT_WORDS;
    h[to + SLOT_FENCE] = f;
    h[to + SLOT_USAGE] = h[from + SLOT_USAGE]!;
    kept++;
  }
  Atomics.store(h, r + R_NUM, kept);
  resvWriteEnd(t, r);
  return kept;
}

/**
 * Slot writers (lock held) bracket every change of the fence list: the generation is odd while
 * slots move, so lockless readers (dma_resv_query.ts) retry instead of reading a torn list.
 */
export function resvWriteBegin(t: Task, r: number): void {
  Atomics.add(t.i32, r + R_GEN, 1);
}
export function resvWriteEnd(t: Task, r: number): void {
  Atomics.add(t.i32, r + R_GEN, 1);
}

function pow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * dma_resv_add_fence: add `fence` with `usage`, taking a reference. Lock required. Replaces in
 * place the first slot that holds a fence of the same context with the same or weaker usage and
 * no later seqno (promotion: never a demotion, never a seqno regression), or any signaled fence;
 * otherwise appends, which needs a slot reserved in this hold — BUG (fence-slot) without one.
 * With the pre-a3f7c10a269d quirk a same-context fence replaces the slot even when it is earlier,
 * and the slot's regression to an earlier seqno is reported (fence-order).
 */
export function dma_resv_add_fence(t: Task, obj: Resv, fence: Fence, usage: DmaResvUsage): void {
  dma_resv_assert_held(t, obj, 'dma_resv_add_fence');
  const h = t.i32;
  const r = t.arena.resv(obj);
  const n = h[r + R_NUM]!;
  const ctx = dma_fence_context(t, fence);
  dma_fence_get(t, fence);
  for (let i = 0; i < n; i++) {
    const s = r + R_SLOTS + i * SLOT_WORDS;
    const old = h[s + SLOT_FENCE]! as Fence;
    const sameCtx = dma_fence_context(t, old) === ctx;
    const later = !sameCtx || dma_fence_is_later_or_same(t, fence, old);
    if ((sameCtx && h[s + SLOT_USAGE]! >= usage && (later || noSeqnoCheck(t))) || dma_fence_is_signaled(t, old)) {
      if (!later && !dma_fence_is_signaled(t, old)) t.warn('RESV_FENCE_ORDER', obj);
      resvWriteBegin(t, r);
      h[s + SLOT_FENCE] = fence;
      h[s + SLOT_USAGE] = usage;
      resvWriteEnd(t, r);
      dma_fence_put(t, old);
      t.trace(packOp(EV_FENCE_ADD, fence), obj, usage);
      return;
    }
  }
  if (n >= h[r + R_MAX]!) t.bug('RESV_ADD_NO_SLOT', obj);
  const s = r + R_SLOTS + n * SLOT_WORDS;
  resvWriteBegin(t, r);
  h[s + SLOT_FENCE] = fence;
  h[s + SLOT_USAGE] = usage;
  Atomics.store(h, r + R_NUM, n + 1);
  resvWriteEnd(t, r);
  t.trace(packOp(EV_FENCE_ADD, fence), obj, usage);
}

/** The trial runs dma_resv_add_fence as before a3f7c10a269d (no seqno check on replacement). */
function noSeqnoCheck(t: Task): boolean {
  return (t.i32[t.ctl + C_QUIRKS]! & QUIRK_RESV_NO_SEQNO_CHECK) !== 0;
}

/**
 * dma_resv_replace_fences: every slot holding a fence of `context` gets `replacement` with
 * `usage`. Lock required. Valid only when the old work cannot touch the buffer once the
 * replacement signals.
 */
export function dma_resv_replace_fences(t: Task, obj: Resv, context: number, replacement: Fence, usage: DmaResvUsage): void {
  dma_resv_assert_held(t, obj, 'dma_resv_replace_fences');
  const h = t.i32;
  const r = t.arena.resv(obj);
  const n = h[r + R_NUM]!;
  for (let i = 0; i < n; i++) {
    const s = r + R_SLOTS + i * SLOT_WORDS;
    const old = h[s + SLOT_FENCE]! as Fence;
    if (dma_fence_context(t, old) !== context) continue;
    resvWriteBegin(t, r);
    h[s + SLOT_FENCE] = dma_fence_get(t, replacement);
    h[s + SLOT_USAGE] = usage;
    resvWriteEnd(t, r);
    dma_fence_put(t, old);
  }
}
