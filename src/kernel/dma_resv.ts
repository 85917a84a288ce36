/**
 * dma_resv (drivers/dma-buf/dma-resv.c): a ww_mutex of a wait-die class plus a fence list with
 * usages KERNEL < WRITE < READ < BOOKKEEP — here the object's life (init, fini) and the writers of
 * its fence list (reserve, add, replace); the lock wrappers and the lock assertion are
 * dma_resv_lock.ts (re-exported: this module is the API's one import), the readers
 * dma_resv_query.ts.
 *
 * Locking: writers of the fence list must hold the lock — checked per calling task with
 * dma_resv_assert_held. Reservations are valid for the current lock hold only: unlock resets
 * max_fences to num_fences (the debug-build contract, always enforced here). A writer called on a
 * finished object reports the use (RESV_USE_AFTER_FINI, titled after the writer) and changes
 * nothing (dma_resv_lock.ts resv_enter_locked).
 */
import { EINVAL, ENOMEM } from '../errno/errno.js';
import { HarnessError } from '../errno/errors.js';
import {
  C_NEXT_RESV, C_QUIRKS, QUIRK_RESV_NO_SEQNO_CHECK, RESVF_LIST, RESVF_LIVE, R_FLAGS, R_GEN, R_LOCK, R_MAX, R_NUM, R_SLOTS, SLOT_FENCE,
  SLOT_USAGE, SLOT_WORDS, packOp,
} from '../shm/layout.js';
import { EV_FENCE_ADD } from '../trace/ops.js';
import { allocRow } from './alloc.js';
import { dma_fence_context, dma_fence_is_later_or_same } from './dma_fence_order.js';
import { dma_fence_get, dma_fence_put } from './dma_fence_ref.js';
import { dma_fence_is_signaled } from './dma_fence_signal.js';
import { dma_resv_mutex, resv_enter_locked, resv_live } from './dma_resv_lock.js';
import { kmalloc_size_roundup, roundup_pow_of_two } from './kmalloc.js';
import { RESERVATION_CLASS_NAME } from './lockdep.js';
import type { Task } from './task.js';
import type { Fence, Resv, WwClass } from './types.js';
import { ww_mutex_init, ww_mutex_is_locked } from './ww_mutex.js';

export {
  dma_resv_assert_held, dma_resv_held, dma_resv_is_locked, dma_resv_lock, dma_resv_lock_interruptible, dma_resv_lock_slow,
  dma_resv_lock_slow_interruptible, dma_resv_locking_ctx, dma_resv_mutex, dma_resv_trylock, dma_resv_unlock,
} from './dma_resv_lock.js';

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
  if (!resv_live(t, obj, 'dma_resv_fini')) return;
  if (ww_mutex_is_locked(t, dma_resv_mutex(t, obj))) t.warn('RESV_FINI_LOCKED', obj);
  const r = t.arena.resv(obj);
  const n = t.i32[r + R_NUM]!;
  for (let i = 0; i < n; i++) dma_fence_put(t, t.i32[r + R_SLOTS + i * SLOT_WORDS + SLOT_FENCE]! as Fence);
  t.i32[r + R_NUM] = 0;
  Atomics.store(t.i32, r + R_FLAGS, 0);
}

/**
 * dma_resv_reserve_fences: make room for `num` more fences in this lock hold. Lock required.
 * Growing reallocates like dma_resv_list_alloc: the list is asked for max(num + n, 2 · old max)
 * fences, or max(4, roundup_pow_of_two(n)) for the first list or a list whose max the unlock
 * reset to 0, and gets max_fences from the kmalloc bucket that request rounds up to
 * (dma_resv_list_max_fences) — reserve(1) on an empty object gives 5 slots, growing to 10 gives
 * 13 — so adds beyond the reservation but within the rounding are legal in this hold, as in the
 * kernel. Signaled fences are dropped while copying, and when the list has room but the arena
 * record does not (the list keeps its max_fences then).
 *
 * Returns 0; -EINVAL (WARN) for `num` 0; -ENOMEM when the unsignaled fences plus `num` exceed
 * the arena's fence slots (geometry.resvSlots: the kernel's list has no such bound, so this
 * stands in for its allocation failure, and like it leaves the list as it was). On a finished
 * object the kernel reads `old->max_fences` of the list dma_resv_fini freed: reported
 * (RESV_USE_AFTER_FINI in dma_resv_reserve_fences) and -EINVAL, nothing reserved.
 */
export function dma_resv_reserve_fences(t: Task, obj: Resv, num: number): number {
  if (!resv_enter_locked(t, obj, 'dma_resv_reserve_fences')) return -EINVAL;
  if (num <= 0) { t.warn('RESV_RESERVE_ZERO', obj); return -EINVAL; }
  const h = t.i32;
  const r = t.arena.resv(obj);
  const cur = h[r + R_NUM]!;
  const max = h[r + R_MAX]!;
  const grow = (h[r + R_FLAGS]! & RESVF_LIST) !== 0 && max > 0;
  const fits = grow && cur + num <= max;
  const slots = t.arena.geometry.resvSlots;
  if (fits && cur + num <= slots) return 0;
  if (unsignaled(t, obj) + num > slots) return -ENOMEM;
  compact(t, obj);
  if (fits) return 0;
  h[r + R_MAX] = dma_resv_list_max_fences(grow ? Math.max(cur + num, 2 * max) : Math.max(4, roundup_pow_of_two(num)));
  h[r + R_FLAGS]! |= RESVF_LIST;
  return 0;
}

/** struct dma_resv_list on 64-bit: rcu_head (16) + num_fences, max_fences (4 + 4), then 8-byte entries. */
const RESV_LIST_HEADER_BYTES = 24;
const RESV_LIST_ENTRY_BYTES = 8;

/**
 * The max_fences dma_resv_list_alloc gives a list asked for `max` fences:
 * (kmalloc_size_roundup(struct_size(list, table, max)) - offsetof(table)) / sizeof(entry).
 */
function dma_resv_list_max_fences(max: number): number {
  const bytes = kmalloc_size_roundup(RESV_LIST_HEADER_BYTES + max * RESV_LIST_ENTRY_BYTES);
  return Math.floor((bytes - RESV_LIST_HEADER_BYTES) / RESV_LIST_ENTRY_BYTES);
}

/** How many fences of the list are not signaled: what a reallocation keeps. */
function unsignaled(t: Task, obj: Resv): number {
  const r = t.arena.resv(obj);
  const n = t.i32[r + R_NUM]!;
  let live = 0;
  for (let i = 0; i < n; i++) {
    if (!dma_fence_is_signaled(t, t.i32[r + R_SLOTS + i * SLOT_WORDS + SLOT_FENCE]! as Fence)) live++;
  }
  return live;
}

/** Reallocation's copy: drop signaled fences. */
function compact(t: Task, obj: Resv): void {
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

/**
 * dma_resv_add_fence: add `fence` with `usage`, taking a reference. Lock required. Replaces in
 * place the first slot that holds a fence of the same context with the same or weaker usage and
 * no later seqno (promotion: never a demotion, never a seqno regression), or any signaled fence;
 * otherwise appends, which needs a slot reserved in this hold — BUG (fence-slot) without one. An
 * object that never had a fence list (no reserve since dma_resv_init) has no `obj->fences` to
 * read: the kernel's `fobj->num_fences` is a NULL pointer dereference, an oops before any slot is
 * looked at (RESV_ADD_NO_LIST, `crash in dma_resv_add_fence`; the fence reference taken first
 * leaks, as it would). A slot within max_fences (the rounded capacity) but beyond the arena's
 * geometry.resvSlots throws HarnessError ERR_ARENA_GEOMETRY (raise the geometry; the kernel's
 * list holds it).
 * With the pre-a3f7c10a269d quirk a same-context fence replaces the slot even when it is earlier,
 * and the slot's regression to an earlier seqno is reported (fence-order). On a finished object
 * the kernel takes the reference and stores the fence in the freed list: reported
 * (RESV_USE_AFTER_FINI in dma_resv_add_fence); the model takes no reference and stores nothing.
 */
export function dma_resv_add_fence(t: Task, obj: Resv, fence: Fence, usage: DmaResvUsage): void {
  if (!resv_enter_locked(t, obj, 'dma_resv_add_fence')) return;
  const h = t.i32;
  const r = t.arena.resv(obj);
  const n = h[r + R_NUM]!;
  const ctx = dma_fence_context(t, fence);
  dma_fence_get(t, fence);
  if ((h[r + R_FLAGS]! & RESVF_LIST) === 0) t.bug('RESV_ADD_NO_LIST', obj);
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
  if (n >= t.arena.geometry.resvSlots) slotsFull(t, h[r + R_MAX]!);
  const s = r + R_SLOTS + n * SLOT_WORDS;
  resvWriteBegin(t, r);
  h[s + SLOT_FENCE] = fence;
  h[s + SLOT_USAGE] = usage;
  Atomics.store(h, r + R_NUM, n + 1);
  resvWriteEnd(t, r);
  t.trace(packOp(EV_FENCE_ADD, fence), obj, usage);
}

/**
 * An append the kernel's list has room for (n < max_fences, its rounded capacity) but the arena's
 * record has not: a harness capacity limit, thrown like a full table (alloc.ts).
 */
function slotsFull(t: Task, max: number): never {
  const cap = t.arena.geometry.resvSlots;
  throw new HarnessError('ERR_ARENA_GEOMETRY', `arena: no free dma_resv fence slot within max_fences ${max} (geometry.resvSlots allows ${cap})`);
}

/** The trial runs dma_resv_add_fence as before a3f7c10a269d (no seqno check on replacement). */
function noSeqnoCheck(t: Task): boolean {
  return (t.i32[t.ctl + C_QUIRKS]! & QUIRK_RESV_NO_SEQNO_CHECK) !== 0;
}

/**
 * dma_resv_replace_fences: every slot holding a fence of `context` gets `replacement` with
 * `usage`. Lock required. Valid only when the old work cannot touch the buffer once the
 * replacement signals. On a finished object: reported (RESV_USE_AFTER_FINI in
 * dma_resv_replace_fences), nothing replaced.
 */
export function dma_resv_replace_fences(t: Task, obj: Resv, context: number, replacement: Fence, usage: DmaResvUsage): void {
  if (!resv_enter_locked(t, obj, 'dma_resv_replace_fences')) return;
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
