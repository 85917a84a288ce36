/**
 * dma_resv (drivers/dma-buf/dma-resv.c): a ww_mutex of a wait-die class plus a fence list with
 * usages KERNEL < WRITE < READ < BOOKKEEP — here the object's life (init, fini) and the writers of
 * its fence list (reserve, add, replace); the lock wrappers and the lock assertion are
 * dma_resv_lock.ts (re-exported: this module is the API's one import), the readers
 * dma_resv_query.ts over the unlocked iterator dma_resv_iter.ts, the list itself dma_resv_list.ts.
 *
 * Locking: writers of the fence list must hold the lock — checked per calling task with
 * dma_resv_assert_held. Reservations are valid for the current lock hold only: unlock resets
 * max_fences to num_fences (the debug-build contract, always enforced here). A writer called on a
 * finished object reports the use (RESV_USE_AFTER_FINI, titled after the writer) and changes
 * nothing (dma_resv_lock.ts resv_enter_locked). Writers change the published list in place
 * (replace, append: lockless readers see what they have not passed yet) or, reallocating,
 * publish a new one (readers restart on it); there is no seqcount, as in the kernel.
 */
import { EINVAL, ENOMEM } from '../errno/errno.js';
import { HarnessError } from '../errno/errors.js';
import {
  C_NEXT_RESV, QUIRK_RESV_NO_SEQNO_CHECK, QUIRK_RESV_STRICT_LATER, RESVF_LIVE, R_FLAGS, R_LIST, R_LOCK, R_MAX, R_NUM, packOp,
} from '../shm/layout.js';
import { EV_FENCE_ADD } from '../trace/ops.js';
import { allocRow } from './alloc.js';
import { dma_fence_is_container } from './dma_fence_ops.js';
import { dma_fence_context, dma_fence_is_later, dma_fence_is_later_or_same } from './dma_fence_order.js';
import { dma_fence_get, dma_fence_put } from './dma_fence_ref.js';
import { dma_fence_is_signaled } from './dma_fence_signal.js';
import {
  entry_fence, entry_usage, list_entry, list_num, list_publish, list_set, list_set_num, resv_list,
} from './dma_resv_list.js';
import { dma_resv_mutex, resv_enter_locked, resv_live } from './dma_resv_lock.js';
import { GFP_KERNEL } from './gfp.js';
import { kmalloc_size_roundup, roundup_pow_of_two } from './kmalloc.js';
import { might_alloc } from './lockdep_map.js';
import { RESERVATION_CLASS_NAME } from './lockdep.js';
import { kernel_quirk } from './quirks.js';
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
  h[r + R_LIST] = 0;
  h[r + R_NUM] = 0;
  h[r + R_NUM + 1] = 0;
  h[r + R_MAX] = 0;
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
  const list = resv_list(t, r);
  const n = list_num(t, r, list);
  for (let i = 0; i < n; i++) dma_fence_put(t, entry_fence(list_entry(t, r, list, i)));
  list_set_num(t, r, list, 0);
  Atomics.store(t.i32, r + R_FLAGS, 0);
}

/**
 * dma_resv_reserve_fences: make room for `num` more fences in this lock hold. Lock required.
 * Growing reallocates like dma_resv_list_alloc: the list is asked for max(num + n, 2 · old max)
 * fences, or max(4, roundup_pow_of_two(n)) for the first list or a list whose max the unlock
 * reset to 0, and gets max_fences from the kmalloc bucket that request rounds up to
 * (dma_resv_list_max_fences) — reserve(1) on an empty object gives 5 slots, growing to 10 gives
 * 13 — so adds beyond the reservation but within the rounding are legal in this hold, as in the
 * kernel. A reallocation publishes a new list (reallocate): lockless readers restart on it.
 * When the list has room but the arena record does not, the model reallocates too (the list keeps
 * its max_fences then), which drops the signaled fences. Growing allocates with GFP_KERNEL
 * (dma_resv_list_alloc's kmalloc): annotated with might_alloc, so it depends on fs_reclaim from
 * every held lock (the resv lock's is primed) — a grow inside a fence signalling section is a
 * circular-locking finding; a reservation that fits allocates nothing and is not annotated.
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
  const r = t.arena.resv(obj);
  const list = resv_list(t, r);
  const cur = list_num(t, r, list);
  const max = t.i32[r + R_MAX]!;
  const grow = list !== 0 && max > 0;
  const fits = grow && cur + num <= max;
  const slots = t.arena.geometry.resvSlots;
  if (fits && cur + num <= slots) return 0;
  if (!fits) might_alloc(t, GFP_KERNEL);
  if (unsignaled(t, r, list) + num > slots) return -ENOMEM;
  reallocate(t, r, list, fits ? max : dma_resv_list_max_fences(grow ? Math.max(cur + num, 2 * max) : Math.max(4, roundup_pow_of_two(num))));
  return 0;
}

/** struct dma_resv_list on 64-bit: rcu_head (16) + num_fences, max_fences (4 + 4), then 8-byte
 *  entries. */
const RESV_LIST_HEADER_BYTES = 24;
const RESV_LIST_ENTRY_BYTES = 8;

/**
 * The max_fences dma_resv_list_alloc gives a list asked for `max` fences:
 * (kmalloc_size_roundup(struct_size(list, table, max)) - offsetof(table)) / sizeof(entry).
 */
export function dma_resv_list_max_fences(max: number): number {
  const bytes = kmalloc_size_roundup(RESV_LIST_HEADER_BYTES + max * RESV_LIST_ENTRY_BYTES);
  return Math.floor((bytes - RESV_LIST_HEADER_BYTES) / RESV_LIST_ENTRY_BYTES);
}

/** How many fences of list `list` are not signaled: what a reallocation keeps. */
function unsignaled(t: Task, r: number, list: number): number {
  const n = list_num(t, r, list);
  let live = 0;
  for (let i = 0; i < n; i++) if (!dma_fence_is_signaled(t, entry_fence(list_entry(t, r, list, i)))) live++;
  return live;
}

/**
 * dma_resv_reserve_fences' reallocation, lock held: the next list (the other array) gets the
 * unsignaled fences of list `old` in order, with their references, and the signaled ones at its
 * tail past num_fences; then it is published (rcu_assign_pointer) with max_fences `max`, and the
 * signaled ones are put. `old`'s array is left as it was (kfree_rcu: readers still walking it
 * read it unchanged; a fence put here may be released under them, which their
 * dma_fence_get_rcu sees).
 */
function reallocate(t: Task, r: number, old: number, max: number): void {
  const next = old + 1;
  const n = list_num(t, r, old);
  const end = t.arena.geometry.resvSlots;
  let kept = 0;
  let tail = end;
  for (let i = 0; i < n; i++) {
    const e = list_entry(t, r, old, i);
    const f = entry_fence(e);
    list_set(t, r, next, dma_fence_is_signaled(t, f) ? --tail : kept++, f, entry_usage(e));
  }
  t.i32[r + R_MAX] = max;
  list_set_num(t, r, next, kept);
  list_publish(t, r, next);
  for (let i = tail; i < end; i++) dma_fence_put(t, entry_fence(list_entry(t, r, next, i)));
}

/**
 * dma_resv_add_fence: add `fence` with `usage`, taking a reference. Lock required. Replaces in
 * place the first slot that holds a fence of the same context with the same or weaker usage and
 * no later seqno (promotion: never a demotion, never a seqno regression), or any signaled fence;
 * otherwise appends, which needs a slot reserved in this hold — BUG (fence-slot) without one.
 * Neither publishes a new list: a lockless reader walking the list sees a replaced slot if it has
 * not passed it yet, and an appended one only if it (re)started after the append stored
 * num_fences. An object that never had a fence list (no reserve since dma_resv_init) has no
 * `obj->fences` to read: the kernel's `fobj->num_fences` is a NULL pointer dereference, an oops
 * before any slot is looked at (RESV_ADD_NO_LIST, `crash in dma_resv_add_fence`; the fence
 * reference taken first leaks, as it would). A slot within max_fences (the rounded capacity) but
 * beyond the arena's geometry.resvSlots throws HarnessError ERR_ARENA_GEOMETRY (raise the
 * geometry; the kernel's list holds it).
 * A container fence (dma_fence_array, dma_fence_chain) is the kernel's
 * `WARN_ON(dma_fence_is_container(fence))` (RESV_ADD_CONTAINER, object the fence, aux [obj + 1]):
 * callers add each leaf (dma_fence_unwrap); like the kernel it is added all the same.
 * With the pre-a3f7c10a269d quirk a same-context fence replaces the slot even when it is earlier,
 * and the slot's regression to an earlier seqno is reported (fence-order); with the
 * pre-95ba893c9f4f quirk only a strictly later one does (laterOrSame). On a finished object
 * the kernel takes the reference and stores the fence in the freed list: reported
 * (RESV_USE_AFTER_FINI in dma_resv_add_fence); the model takes no reference and stores nothing.
 */
export function dma_resv_add_fence(t: Task, obj: Resv, fence: Fence, usage: DmaResvUsage): void {
  if (!resv_enter_locked(t, obj, 'dma_resv_add_fence')) return;
  if (dma_fence_is_container(t, fence)) t.warn('RESV_ADD_CONTAINER', fence, 0, [obj + 1]);
  const r = t.arena.resv(obj);
  const list = resv_list(t, r);
  const ctx = dma_fence_context(t, fence);
  dma_fence_get(t, fence);
  if (list === 0) t.bug('RESV_ADD_NO_LIST', obj);
  const n = list_num(t, r, list);
  for (let i = 0; i < n; i++) {
    const e = list_entry(t, r, list, i);
    const old = entry_fence(e);
    const sameCtx = dma_fence_context(t, old) === ctx;
    const later = !sameCtx || laterOrSame(t, fence, old);
    if ((sameCtx && entry_usage(e) >= usage && (later || kernel_quirk(t, QUIRK_RESV_NO_SEQNO_CHECK))) || dma_fence_is_signaled(t, old)) {
      if (!later && !dma_fence_is_signaled(t, old)) t.warn('RESV_FENCE_ORDER', obj);
      list_set(t, r, list, i, fence, usage);
      dma_fence_put(t, old);
      t.trace(packOp(EV_FENCE_ADD, fence), obj, usage);
      return;
    }
  }
  if (n >= t.i32[r + R_MAX]!) t.bug('RESV_ADD_NO_SLOT', obj);
  if (n >= t.arena.geometry.resvSlots) slotsFull(t, t.i32[r + R_MAX]!);
  list_set(t, r, list, n, fence, usage);
  list_set_num(t, r, list, n + 1);
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

/**
 * The replacement test of dma_resv_add_fence for two fences of one context: later or the same
 * fence (95ba893c9f4f), or, with the trial's QUIRK_RESV_STRICT_LATER, strictly later as before
 * it — the same fence added again then does not replace itself and needs a slot (S11 (a)).
 */
function laterOrSame(t: Task, fence: Fence, old: Fence): boolean {
  return kernel_quirk(t, QUIRK_RESV_STRICT_LATER) ? dma_fence_is_later(t, fence, old) : dma_fence_is_later_or_same(t, fence, old);
}

/**
 * dma_resv_replace_fences: every slot holding a fence of `context` gets `replacement` with
 * `usage`. Lock required. Valid only when the old work cannot touch the buffer once the
 * replacement signals. On a finished object: reported (RESV_USE_AFTER_FINI in
 * dma_resv_replace_fences), nothing replaced.
 */
export function dma_resv_replace_fences(t: Task, obj: Resv, context: number, replacement: Fence, usage: DmaResvUsage): void {
  if (!resv_enter_locked(t, obj, 'dma_resv_replace_fences')) return;
  const r = t.arena.resv(obj);
  const list = resv_list(t, r);
  const n = list_num(t, r, list);
  for (let i = 0; i < n; i++) {
    const old = entry_fence(list_entry(t, r, list, i));
    if (dma_fence_context(t, old) !== context) continue;
    list_set(t, r, list, i, dma_fence_get(t, replacement), usage);
    dma_fence_put(t, old);
  }
}
