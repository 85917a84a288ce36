/**
 * dma_fence_array (drivers/dma-buf/dma-fence-array.c): a fence on its own context that signals
 * when all of its fences signalled — or the first of them, `signal_on_any` — with the first
 * error one of them reported.
 *
 * An array is a fence row (F_OPS FOPS_ARRAY) and kzalloc'd words (F_PRIV, kernel/priv.ts): the
 * count, num_pending (atomic), then per fence its handle and the callback node the array arms on
 * it (the kernel's dma_fence_array_cb behind the struct). The array owns one reference to each
 * of its fences — the caller's, handed over at create — and puts them at release. Enabling
 * signalling arms a callback on every fence, each holding a reference to the array; the last
 * callback signals the array through irq_work (irq_work.ts), so the array's lock is never taken
 * inside a fence's. Until it signals, the array's error word holds PENDING_ERROR, which the
 * first fence error replaces and the signal clears.
 *
 * Context: any task; nothing here sleeps. The callers hold a reference to the array.
 */
import {
  FENCEF_ENABLE_SIGNAL, FOPS_ARRAY, F_CONTEXT, F_ERROR, F_FLAGS, F_OPS, F_PRIV,
} from '../shm/layout.js';
import { dma_fence_add_callback, dma_fence_cb_alloc, dma_fence_cb_arg, dma_fence_cb_free } from './dma_fence_cb.js';
import { dma_fence_set_deadline } from './dma_fence_deadline.js';
import { NULL_FENCE, dma_fence_init } from './dma_fence_init.js';
import {
  KCB_ARRAY, dma_fence_is_array, dma_fence_is_container, register_container_ops, register_kernel_callback,
} from './dma_fence_ops.js';
import { dma_fence_get, dma_fence_put } from './dma_fence_ref.js';
import { dma_fence_is_signaled, dma_fence_signal } from './dma_fence_signal.js';
import { irq_work_queue } from './irq_work.js';
import { GFP_KERNEL } from './gfp.js';
import { kfree_words, kzalloc_words, priv_load, priv_load_inlined, priv_store, priv_sub } from './priv.js';
import type { Task } from './task.js';
import type { Fence, FenceCb } from './types.js';

/** Private words of an array: AR_NUM, AR_PENDING, then CHILD_WORDS a fence. */
const AR_NUM = 0;
/** num_pending (atomic): callbacks still to run before the array signals. */
const AR_PENDING = 1;
const AR_CHILDREN = 2;
/** Per fence: its handle, then the array's callback node on it. */
const CHILD_WORDS = 2;
/** The array's error while none of its fences reported one and it has not signalled. */
const PENDING_ERROR = 1;

/** The private words of array `f`. */
function words(t: Task, f: Fence): number {
  return t.i32[t.arena.fence(f) + F_PRIV]!;
}

/** dma_fence_array's num_fences (0 for a fence that is no array). */
export function dma_fence_array_num_fences(t: Task, f: Fence): number {
  return dma_fence_is_array(t, f) ? priv_load(t, words(t, f) + AR_NUM) : 0;
}

/** The array's fence `i` (i < num_fences). */
function child(t: Task, f: Fence, i: number): Fence {
  return priv_load_inlined(t, words(t, f) + AR_CHILDREN + i * CHILD_WORDS, child) as Fence;
}

function childCb(t: Task, f: Fence, i: number): FenceCb {
  return priv_load_inlined(t, words(t, f) + AR_CHILDREN + i * CHILD_WORDS + 1, childCb) as FenceCb;
}

/** dma_fence_array_alloc: the private words of an array of `num` fences, zeroed (recorded as
 *  allocated in this function, as KASAN names the kernel's). GFP_KERNEL; any task. */
function dma_fence_array_alloc(t: Task, num: number): number {
  return kzalloc_words(t, AR_CHILDREN + num * CHILD_WORDS, GFP_KERNEL, dma_fence_array_alloc);
}

/**
 * dma_fence_array_create: an array of the `num` fences `fences` (their references move into the
 * array) on `context` / `seqno`; it signals when every fence did, or the first one with
 * `signal_on_any`. Returns the array — never NULL in the model: the kernel's allocation
 * failure has no stand-in (no allocation fault injection), and private words or callback nodes
 * that do not fit the arena geometry throw ERR_ARENA_GEOMETRY (the allocations are the check).
 * WARNs as dma_fence_array_init: FENCE_ARRAY_EMPTY for no fences, and FENCE_ARRAY_CONTAINER (aux
 * [fence + 1]) for each fence that is itself a container, last fence first (the kernel's `while
 * (num_fences--)`).
 */
export function dma_fence_array_create(
  t: Task, num: number, fences: readonly Fence[], context: number, seqno: number, signal_on_any: boolean,
): Fence {
  const w = dma_fence_array_alloc(t, num);
  const f = dma_fence_init(t, context, seqno, { signaler: -1 });
  const fb = t.arena.fence(f);
  t.i32[fb + F_OPS] = FOPS_ARRAY;
  t.i32[fb + F_PRIV] = w;
  t.i32[fb + F_ERROR] = PENDING_ERROR;
  if (num === 0 || fences.length === 0) t.warn('FENCE_ARRAY_EMPTY', f);
  priv_store(t, w + AR_NUM, num);
  priv_store(t, w + AR_PENDING, signal_on_any ? 1 : num);
  for (let i = 0; i < num; i++) {
    const c = fences[i]!;
    priv_store(t, w + AR_CHILDREN + i * CHILD_WORDS, c);
    priv_store(t, w + AR_CHILDREN + i * CHILD_WORDS + 1, dma_fence_cb_alloc(t, f));
  }
  for (let i = num - 1; i >= 0; i--) {
    if (dma_fence_is_container(t, fences[i]!)) t.warn('FENCE_ARRAY_CONTAINER', f, 0, [fences[i]! + 1]);
  }
  return f;
}

/** dma_fence_array_first: `head` itself when it is no array; an array's first fence (NULL_FENCE
 *  when it has none); NULL_FENCE for a NULL head. */
export function dma_fence_array_first(t: Task, head: Fence): Fence {
  if (head < 0) return NULL_FENCE;
  if (!dma_fence_is_array(t, head)) return head;
  return dma_fence_array_num_fences(t, head) === 0 ? NULL_FENCE : child(t, head, 0);
}

/** dma_fence_array_next: the array's fence `index`, NULL_FENCE past the end or for no array. */
export function dma_fence_array_next(t: Task, head: Fence, index: number): Fence {
  if (!dma_fence_is_array(t, head) || index >= dma_fence_array_num_fences(t, head)) return NULL_FENCE;
  return child(t, head, index);
}

/** dma_fence_match_context: `f` is on `context` — for an array, every fence of it is. */
export function dma_fence_match_context(t: Task, f: Fence, context: number): boolean {
  if (!dma_fence_is_array(t, f)) return t.i32[t.arena.fence(f) + F_CONTEXT] === context;
  for (let i = 0; i < dma_fence_array_num_fences(t, f); i++) {
    if (t.i32[t.arena.fence(child(t, f, i)) + F_CONTEXT] !== context) return false;
  }
  return true;
}

/** Propagate a fence's `error` as the array's, if it is the first and the array is pending. */
function setPendingError(t: Task, f: Fence, error: number): void {
  if (error !== 0) Atomics.compareExchange(t.i32, t.arena.fence(f) + F_ERROR, PENDING_ERROR, error);
}

/** No fence reported an error: the array signals without one. */
function clearPendingError(t: Task, f: Fence): void {
  Atomics.compareExchange(t.i32, t.arena.fence(f) + F_ERROR, PENDING_ERROR, 0);
}

/** dma_fence_array_cb_func: one of the array's fences signalled (its lock held). */
function dma_fence_array_cb_func(t: Task, signalled: number, cb: number): void {
  const f = dma_fence_cb_arg(t, cb as FenceCb) as Fence;
  setPendingError(t, f, t.i32[t.arena.fence(signalled as Fence) + F_ERROR]!);
  if (priv_sub(t, words(t, f) + AR_PENDING, 1) !== 1) { dma_fence_put(t, f); return; }
  irq_work_queue(t, () => {
    clearPendingError(t, f);
    dma_fence_signal(t, f);
    dma_fence_put(t, f);
  });
}

/**
 * dma_fence_array_enable_signaling (the array's lock held): arm a callback on every fence, each
 * holding a reference to the array; a fence signalled already counts at once. False when that
 * made the array done.
 */
function dma_fence_array_enable_signaling(t: Task, f: Fence): boolean {
  for (let i = 0; i < dma_fence_array_num_fences(t, f); i++) {
    dma_fence_get(t, f);
    const c = child(t, f, i);
    if (dma_fence_add_callback(t, c, childCb(t, f, i), KCB_ARRAY) === 0) continue;
    setPendingError(t, f, t.i32[t.arena.fence(c) + F_ERROR]!);
    dma_fence_put(t, f);
    if (priv_sub(t, words(t, f) + AR_PENDING, 1) === 1) { clearPendingError(t, f); return false; }
  }
  return true;
}

/**
 * dma_fence_array_signaled: with signalling enabled, whether num_pending reached 0; before
 * that, whether enough of its fences (all, or one) report signalled.
 */
function dma_fence_array_signaled(t: Task, f: Fence): boolean {
  let pending = priv_load(t, words(t, f) + AR_PENDING);
  let done = pending <= 0;
  if ((Atomics.load(t.i32, t.arena.fence(f) + F_FLAGS) & FENCEF_ENABLE_SIGNAL) === 0) {
    done = false;
    for (let i = 0; i < dma_fence_array_num_fences(t, f) && !done; i++) {
      if (dma_fence_is_signaled(t, child(t, f, i))) done = --pending === 0;
    }
  }
  if (done) clearPendingError(t, f);
  return done;
}

/** dma_fence_array_release: put every fence of the array; its callback nodes (idle: each armed
 *  one held a reference) and words are given back. */
function dma_fence_array_release(t: Task, f: Fence): void {
  const num = dma_fence_array_num_fences(t, f);
  for (let i = 0; i < num; i++) {
    dma_fence_put(t, child(t, f, i));
    dma_fence_cb_free(t, childCb(t, f, i));
  }
  kfree_words(t, words(t, f), AR_CHILDREN + num * CHILD_WORDS, dma_fence_array_release);
}

/** dma_fence_array_set_deadline: pass the deadline hint to every fence of the array
 *  (dma_fence_set_deadline: each unsignaled one whose ops take it). Any context; never sleeps. */
function dma_fence_array_set_deadline(t: Task, f: Fence, deadline: number): void {
  for (let i = 0; i < dma_fence_array_num_fences(t, f); i++) dma_fence_set_deadline(t, child(t, f, i), deadline);
}

register_container_ops(FOPS_ARRAY, {
  enable_signaling: dma_fence_array_enable_signaling, signaled: dma_fence_array_signaled, release: dma_fence_array_release,
  set_deadline: dma_fence_array_set_deadline,
});
register_kernel_callback(KCB_ARRAY, dma_fence_array_cb_func);
