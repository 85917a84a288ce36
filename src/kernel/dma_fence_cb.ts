/**
 * dma_fence callbacks (dma_fence_add_callback / dma_fence_remove_callback).
 *
 * A callback node is an arena row (the `struct dma_fence_cb` a driver embeds); its function is
 * an index into the scenario's callback table, the same code in every thread, so a callback
 * registered by one actor runs in whichever task signals the fence.
 */
import { EINVAL, ENOENT } from '../errno/errno.js';
import {
  B_ARG, B_FENCE, B_FN, B_NEXT, B_STATE, CBS_IDLE, CBS_PENDING, C_FENCE_LOCK, C_FREE_CB, C_NEXT_CB, FENCEF_SIGNALED,
  F_CB_HEAD, F_CB_TAIL, F_FLAGS,
} from '../shm/layout.js';
import { allocRow } from './alloc.js';
import { enableSignalingLocked } from './dma_fence_signal.js';
import { fence_check } from './dma_fence_alloc.js';
import { fence_callback } from './dma_fence_ops.js';
import { spin_lock, spin_unlock } from './spinlock.js';
import { fence_spin_lock, fence_spin_unlock } from './spinlock_fence.js';
import type { Task } from './task.js';
import type { Fence, FenceCb } from './types.js';

/** A new, idle callback node carrying `arg` (read it back with dma_fence_cb_arg). */
export function dma_fence_cb_alloc(t: Task, arg = 0): FenceCb {
  const a = t.arena;
  const freed = takeFreedCb(t);
  const id = freed >= 0 ? freed : allocRow(a, C_NEXT_CB, a.geometry.callbacks, 'dma_fence_cb');
  const b = a.cb(id);
  t.i32[b + B_FENCE] = 0;
  t.i32[b + B_NEXT] = 0;
  t.i32[b + B_FN] = -1;
  t.i32[b + B_ARG] = arg;
  t.i32[b + B_STATE] = CBS_IDLE;
  return id as FenceCb;
}

/**
 * Give back callback node `cb` (idle: never armed, or its callback ran or was removed; the
 * caller's last use) for a later dma_fence_cb_alloc. Any task; takes C_FENCE_LOCK.
 * A node still pending on a fence is not given back: that is reported (FENCE_CB_FREE_PENDING,
 * object the fence, aux [cb + 1]) and the node stays on the fence's list, so the list is not cut
 * — reusing it would overwrite its B_NEXT link — and the callback still runs when the fence
 * signals, as the kernel's freed node would.
 */
export function dma_fence_cb_free(t: Task, cb: FenceCb): void {
  const b = t.arena.cb(cb);
  if (Atomics.load(t.i32, b + B_STATE) === CBS_PENDING) {
    t.warn('FENCE_CB_FREE_PENDING', Atomics.load(t.i32, b + B_FENCE) - 1, 0, [cb + 1]);
    return;
  }
  spin_lock(t, t.ctl + C_FENCE_LOCK, 0);
  t.i32[b + B_NEXT] = Atomics.load(t.i32, t.ctl + C_FREE_CB);
  Atomics.store(t.i32, t.ctl + C_FREE_CB, cb + 1);
  spin_unlock(t, t.ctl + C_FENCE_LOCK);
}

/** A given-back callback node, or -1 when there is none (an empty list seen without the lock). */
function takeFreedCb(t: Task): number {
  if (Atomics.load(t.i32, t.ctl + C_FREE_CB) === 0) return -1;
  spin_lock(t, t.ctl + C_FENCE_LOCK, 0);
  const cb = Atomics.load(t.i32, t.ctl + C_FREE_CB) - 1;
  if (cb >= 0) Atomics.store(t.i32, t.ctl + C_FREE_CB, t.i32[t.arena.cb(cb) + B_NEXT]!);
  spin_unlock(t, t.ctl + C_FENCE_LOCK);
  return cb;
}

/** The argument stored in a callback node. */
export function dma_fence_cb_arg(t: Task, cb: FenceCb): number {
  return t.i32[t.arena.cb(cb) + B_ARG]!;
}

/**
 * dma_fence_add_callback: arm `cb` to run callback-table entry `fn` when `f` signals.
 * Returns 0 when armed (it will run exactly once), -ENOENT when `f` is already signaled — also
 * when enabling signaling signals it — (not run; the node is left idle so a later remove returns
 * false), -EINVAL for a missing fence or function: the kernel's `if (WARN_ON(!fence || !func))
 * return -EINVAL;`, one check in the source, reported as the misuse it was — FENCE_CB_NO_FENCE
 * (a NULL fence, `f` < 0: the finding's object is `cb`, the node being armed) or FENCE_CB_NULL (no
 * callback-table entry `fn`: object `f`, aux [cb + 1]) — so neither hides the other, and two nodes
 * misused alike are two findings. A callback is on one fence at a time (kernel-semantics §3.4):
 * `cb` still pending — on `f` or on another fence — WARNs FENCE_CB_PENDING (object `f`, aux
 * [cb + 1]: two nodes re-added are two findings) and returns -EINVAL, changing neither fence's
 * list (the kernel's list_add_tail would run it twice, or cut the other fence's list). Each of the
 * three is titled with its condition (warn.ts CONDITIONS), so a hunt keeps them apart. A released
 * (stale) handle is a use-after-free (FENCE_USE_AFTER_FREE, -ENOENT) that touches neither the row
 * nor `cb`.
 */
export function dma_fence_add_callback(t: Task, f: Fence, cb: FenceCb, fn: number): number {
  if (f < 0) { t.warn('FENCE_CB_NO_FENCE', cb); return -EINVAL; }
  if (fence_callback(t, fn) === undefined) { t.warn('FENCE_CB_NULL', f, 0, [cb + 1]); return -EINVAL; }
  if (Atomics.load(t.i32, t.arena.cb(cb) + B_STATE) === CBS_PENDING) { t.warn('FENCE_CB_PENDING', f, 0, [cb + 1]); return -EINVAL; }
  if (!fence_check(t, f, 'dma_fence_add_callback')) return -ENOENT;
  const h = t.i32;
  const fb = t.arena.fence(f);
  const bb = t.arena.cb(cb);
  const cookie = fence_spin_lock(t, f);
  enableSignalingLocked(t, f);
  if ((Atomics.load(h, fb + F_FLAGS) & FENCEF_SIGNALED) !== 0) {
    h[bb + B_FENCE] = 0;
    h[bb + B_STATE] = CBS_IDLE;
    fence_spin_unlock(t, f, cookie);
    return -ENOENT;
  }
  h[bb + B_FN] = fn;
  h[bb + B_FENCE] = f + 1;
  h[bb + B_NEXT] = 0;
  h[bb + B_STATE] = CBS_PENDING;
  const tail = h[fb + F_CB_TAIL]!;
  if (tail === 0) h[fb + F_CB_HEAD] = cb + 1;
  else h[t.arena.cb(tail - 1) + B_NEXT] = cb + 1;
  h[fb + F_CB_TAIL] = cb + 1;
  fence_spin_unlock(t, f, cookie);
  return 0;
}

/**
 * dma_fence_remove_callback: true when `cb` was still pending and is now removed (it will not
 * run); false when it already ran or was never armed. Takes `f`'s lock and tests the node, as
 * the kernel's `ret = !list_empty(&cb->node); if (ret) list_del_init(&cb->node);` does.
 *
 * A node pending on another fence `g` is unlinked from g's list all the same and true returned —
 * the callback never runs when g signals — but the kernel does that under f's lock, racing with
 * g's own list changes (signal, add_callback: a lost callback, then an unrelated hang). That
 * misuse is reported (FENCE_CB_REMOVE_OTHER, object `f`, aux [cb + 1]: a check the kernel does
 * not make, as KCSAN would), and the model's own unlink is made safe: f's lock is dropped and
 * the node unlinked under g's, if it is still pending on g then (else false: g signaled meanwhile
 * and ran it). In that window g may also signal and the node be armed on g again: it is that new
 * arming which is removed (true), as the kernel's unlink of a re-armed node removes whatever
 * arming the node is on — the node, not an arming, is what the caller names. Context: any task;
 * takes one fence spinlock at a time, never sleeps.
 * The caller holds a reference to `f`: a released (stale) handle is a use-after-free
 * (FENCE_USE_AFTER_FREE, false), and neither the row — maybe another fence's now — nor `cb` is
 * touched.
 */
export function dma_fence_remove_callback(t: Task, f: Fence, cb: FenceCb): boolean {
  if (!fence_check(t, f, 'dma_fence_remove_callback')) return false;
  const h = t.i32;
  const bb = t.arena.cb(cb);
  const cookie = fence_spin_lock(t, f);
  const on = Atomics.load(h, bb + B_FENCE);
  const pending = Atomics.load(h, bb + B_STATE) === CBS_PENDING && on !== 0;
  const removed = pending && on === f + 1 && unlink(t, t.arena.fence(f), cb);
  fence_spin_unlock(t, f, cookie);
  if (!pending || on === f + 1) return removed;
  t.warn('FENCE_CB_REMOVE_OTHER', f, 0, [cb + 1]);
  return removeFromOwner(t, (on - 1) as Fence, cb);
}

/** Unlink `cb` from fence `g`'s list under g's lock, if it is still pending on g. */
function removeFromOwner(t: Task, g: Fence, cb: FenceCb): boolean {
  const h = t.i32;
  const bb = t.arena.cb(cb);
  const cookie = fence_spin_lock(t, g);
  const removed = h[bb + B_STATE] === CBS_PENDING && h[bb + B_FENCE] === g + 1 && unlink(t, t.arena.fence(g), cb);
  fence_spin_unlock(t, g, cookie);
  return removed;
}

/** Remove `cb` from the pending list of the fence at `fb`; false when not on it. */
function unlink(t: Task, fb: number, cb: FenceCb): boolean {
  const h = t.i32;
  let prev = 0;
  let cur = h[fb + F_CB_HEAD]!;
  while (cur !== 0 && cur !== cb + 1) { prev = cur; cur = h[t.arena.cb(cur - 1) + B_NEXT]!; }
  if (cur === 0) return false;
  const bb = t.arena.cb(cb);
  const next = h[bb + B_NEXT]!;
  if (prev === 0) h[fb + F_CB_HEAD] = next;
  else h[t.arena.cb(prev - 1) + B_NEXT] = next;
  if (h[fb + F_CB_TAIL] === cb + 1) h[fb + F_CB_TAIL] = prev;
  h[bb + B_NEXT] = 0;
  h[bb + B_FENCE] = 0;
  h[bb + B_STATE] = CBS_IDLE;
  return true;
}
