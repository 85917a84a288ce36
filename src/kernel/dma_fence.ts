/**
 * dma_fence (drivers/dma-buf/dma-fence.c, 7.0-era semantics): context/seqno identity, signal
 * once, error, status, enable_sw_signaling, reference counting and the stub fence. Callbacks are
 * in dma_fence_cb.ts, waits in dma_fence_wait.ts.
 *
 * Context: any task. Nothing here sleeps; signalling takes the fence spinlock and runs the
 * registered callbacks in the signalling task, in registration order.
 */
import {
  A_SIGNALLING, CBS_RUN, C_FENCE_CONTEXT, B_FENCE, B_FN, B_NEXT,
  B_STATE, FENCEF_ENABLE_SIGNAL, FENCEF_LIVE, FENCEF_SEQNO64, FENCEF_SIGNALED, FENCEF_TIMESTAMP, FENCEF_WAITERS,
  FOPS_ENABLE_SIGNALS, F_CB_HEAD, F_CB_TAIL, F_CONTEXT, F_ERROR, F_FLAGS, F_LOCK, F_OPS,
  F_REFCOUNT, F_SEQNO_HI, F_SEQNO_LO, F_SIGNALER, F_TIMESTAMP, packOp,
} from '../shm/layout.js';
import { EV_CB_RUN, EV_SIGNALED } from '../trace/ops.js';
import { EDEADLK } from '../errno/errno.js';
import { fence_alloc, fence_check, fence_current, fence_free, fence_stale } from './dma_fence_alloc.js';
import { lockdepSignallingBegin, lockdepSignallingEnd } from './lockdep.js';
import { spin_lock, spin_unlock } from './spinlock.js';
import type { Task } from './task.js';
import type { Fence } from './types.js';

/** The always-signaled stub fence (context 0), made by kernelReset as fence 0. */
export const STUB_FENCE = 0 as Fence;
/** Largest errno accepted by dma_fence_set_error. */
const MAX_ERRNO = 4095;

export interface FenceInit {
  /** DMA_FENCE_FLAG_SEQNO64 (dma_fence_init64): compare seqnos as 64-bit. */
  readonly seqno64?: boolean;
  /** ops->enable_signaling reports the work done: the fence signals when signaling is enabled. */
  readonly signalsOnEnable?: boolean;
  /** Actor expected to signal it (default: the creating task) — the wait-for graph's edge. */
  readonly signaler?: number;
}

/** dma_fence_context_alloc: the first of `num` fresh fence contexts. */
export function dma_fence_context_alloc(t: Task, num: number): number {
  return Atomics.add(t.i32, t.ctl + C_FENCE_CONTEXT, num);
}

/**
 * dma_fence_init: a new unsignaled fence on `context` with `seqno` (0 ≤ seqno < 2^53), refcount
 * 1, no error. Its row may be a released fence's (dma_fence_alloc.ts): the handle differs.
 */
export function dma_fence_init(t: Task, context: number, seqno: number, init: FenceInit = {}): Fence {
  const a = t.arena;
  const id = fence_alloc(t);
  const f = a.fence(id);
  const h = t.i32;
  h[f + F_CONTEXT] = context;
  h[f + F_SEQNO_LO] = seqno | 0;
  h[f + F_SEQNO_HI] = Math.floor(seqno / 0x100000000);
  h[f + F_ERROR] = 0;
  h[f + F_TIMESTAMP] = 0;
  h[f + F_REFCOUNT] = 1;
  h[f + F_OPS] = init.signalsOnEnable === true ? FOPS_ENABLE_SIGNALS : 0;
  h[f + F_CB_HEAD] = 0;
  h[f + F_CB_TAIL] = 0;
  h[f + F_SIGNALER] = (init.signaler ?? t.id) + 1;
  h[f + F_LOCK] = 0;
  Atomics.store(h, f + F_FLAGS, FENCEF_LIVE | (init.seqno64 === true ? FENCEF_SEQNO64 : 0));
  return id;
}

/** dma_fence_get: take a reference; returns `f`. On a released fence: use-after-free (WARN, no reference). */
export function dma_fence_get(t: Task, f: Fence): Fence {
  if (fence_stale(t, f)) { t.warn('FENCE_GET_RELEASED', f); return f; }
  if (Atomics.add(t.i32, t.arena.fence(f) + F_REFCOUNT, 1) <= 0) t.warn('FENCE_GET_RELEASED', f);
  return f;
}

/**
 * dma_fence_put: drop a reference. The last put releases the fence — its row goes back on the
 * free list and `f` becomes stale; releasing it unsignaled with callbacks pending is a refcount
 * bug (WARN, then error -EDEADLK and signal so waiters are not stranded). A put below zero, or
 * through a handle already released, WARNs and changes nothing.
 */
export function dma_fence_put(t: Task, f: Fence): void {
  if (fence_stale(t, f)) { t.warn('FENCE_PUT_UNDERFLOW', f); return; }
  putRef(t, f);
}

/**
 * Drop a reference on whatever fence holds `f`'s row now, releasing it at zero — through that
 * fence's own handle, since `f` may be stale (dma_fence_get_rcu giving back a reference it took
 * on a reused row).
 */
function putRef(t: Task, stale: Fence): void {
  const fb = t.arena.fence(stale);
  const left = Atomics.sub(t.i32, fb + F_REFCOUNT, 1) - 1;
  if (left < 0) { t.warn('FENCE_PUT_UNDERFLOW', stale); return; }
  if (left > 0) return;
  const f = fence_current(t, stale);
  const flags = Atomics.load(t.i32, fb + F_FLAGS);
  if ((flags & FENCEF_SIGNALED) === 0 && t.i32[fb + F_CB_HEAD] !== 0) {
    t.warn('FENCE_RELEASE_PENDING', f);
    t.i32[fb + F_ERROR] = -EDEADLK;
    dma_fence_signal(t, f);
  }
  fence_free(t, f);
}

/**
 * dma_fence_get_rcu (dma_fence_get_rcu_safe): take a reference unless the fence was released — a
 * lockless reader racing with the last put, whose row may even be reused (the kernel's
 * SLAB_TYPESAFE_BY_RCU fences). True when it took one on `f` itself; never reports.
 */
export function dma_fence_get_rcu(t: Task, f: Fence): boolean {
  const i = t.arena.fence(f) + F_REFCOUNT;
  for (;;) {
    if (fence_stale(t, f)) return false;
    const v = Atomics.load(t.i32, i);
    if (v <= 0) return false;
    if (Atomics.compareExchange(t.i32, i, v, v + 1) !== v) continue;
    if (!fence_stale(t, f)) return true;
    // Reused between the check and the increment: that reference is the new fence's; give it back.
    putRef(t, f);
    return false;
  }
}

/** Current reference count (for tests and leak reports); 0 once `f` was released. */
export function dma_fence_refcount(t: Task, f: Fence): number {
  if (fence_stale(t, f)) return 0;
  return Atomics.load(t.i32, t.arena.fence(f) + F_REFCOUNT);
}

/** dma_fence_signal: signal once; later calls do nothing. Runs pending callbacks in order. */
export function dma_fence_signal(t: Task, f: Fence): void {
  signalChecked(t, f, 'dma_fence_signal');
}

/** dma_fence_check_and_signal: signal `f`; true when it was already signaled (or released: WARN). */
export function dma_fence_check_and_signal(t: Task, f: Fence): boolean {
  return signalChecked(t, f, 'dma_fence_check_and_signal');
}

function signalChecked(t: Task, f: Fence, fn: string): boolean {
  if (!fence_check(t, f, fn)) return true;
  const lock = t.arena.fence(f) + F_LOCK;
  spin_lock(t, lock, f);
  const was = signalLocked(t, f);
  spin_unlock(t, lock);
  return was;
}

/** Signal with the fence lock held. Returns true when it was already signaled. */
export function signalLocked(t: Task, f: Fence): boolean {
  const h = t.i32;
  const fb = t.arena.fence(f);
  if ((Atomics.load(h, fb + F_FLAGS) & FENCEF_SIGNALED) !== 0) return true;
  h[fb + F_TIMESTAMP] = t.now();
  const was = Atomics.or(h, fb + F_FLAGS, FENCEF_SIGNALED | FENCEF_TIMESTAMP);
  t.trace(packOp(EV_SIGNALED, f), h[fb + F_ERROR]!, t.i32[t.base + A_SIGNALLING]!);
  runCallbacks(t, f, fb);
  if ((was & FENCEF_WAITERS) !== 0) t.wake(fb + F_FLAGS);
  return false;
}

function runCallbacks(t: Task, f: Fence, fb: number): void {
  const h = t.i32;
  let cb = h[fb + F_CB_HEAD]!;
  h[fb + F_CB_HEAD] = 0;
  h[fb + F_CB_TAIL] = 0;
  while (cb !== 0) {
    const bb = t.arena.cb(cb - 1);
    const next = h[bb + B_NEXT]!;
    h[bb + B_NEXT] = 0;
    h[bb + B_FENCE] = 0;
    h[bb + B_STATE] = CBS_RUN;
    t.trace(packOp(EV_CB_RUN, f), cb - 1);
    const fn = t.callbacks[h[bb + B_FN]!];
    if (fn !== undefined) fn(t, f, cb - 1);
    cb = next;
  }
}

/**
 * dma_fence_set_error: record a negative errno before signalling. WARNs when already signaled or
 * when `err` is not in [-MAX_ERRNO, -1]; like the kernel, stores it either way.
 */
export function dma_fence_set_error(t: Task, f: Fence, err: number): void {
  if (!fence_check(t, f, 'dma_fence_set_error')) return;
  const fb = t.arena.fence(f);
  if ((Atomics.load(t.i32, fb + F_FLAGS) & FENCEF_SIGNALED) !== 0) t.warn('FENCE_ERROR_SIGNALED', f);
  if (err >= 0 || err < -MAX_ERRNO) t.warn('FENCE_ERROR_RANGE', f);
  t.i32[fb + F_ERROR] = err;
}

/** dma_fence_get_status: 0 unsignaled, 1 signaled without error, else the error (`error ?: 1`). */
export function dma_fence_get_status(t: Task, f: Fence): number {
  if (!fence_check(t, f, 'dma_fence_get_status')) return 1;
  if (!dma_fence_is_signaled(t, f)) return 0;
  const err = t.i32[t.arena.fence(f) + F_ERROR]!;
  return err !== 0 ? err : 1;
}

/** dma_fence_is_signaled: the SIGNALED flag (no `signaled` op is modelled); released: WARN, true. */
export function dma_fence_is_signaled(t: Task, f: Fence): boolean {
  if (!fence_check(t, f, 'dma_fence_is_signaled')) return true;
  return (Atomics.load(t.i32, t.arena.fence(f) + F_FLAGS) & FENCEF_SIGNALED) !== 0;
}

/** The SIGNALED flag for a lockless (RCU) reader, whose handle may be released meanwhile (legal
 *  under RCU): such a fence reads as signaled, and the reader's retry discards the scan. */
export function dma_fence_is_signaled_rcu(t: Task, f: Fence): boolean {
  if (fence_stale(t, f)) return true;
  return (Atomics.load(t.i32, t.arena.fence(f) + F_FLAGS) & FENCEF_SIGNALED) !== 0;
}

/** dma_fence_test_signaled_flag: pure flag test. */
export const dma_fence_test_signaled_flag = dma_fence_is_signaled;

/**
 * dma_fence_enable_sw_signaling: set ENABLE_SIGNAL; the first time, a fence whose ops signal on
 * enable signals now. Idempotent.
 */
export function dma_fence_enable_sw_signaling(t: Task, f: Fence): void {
  if (!fence_check(t, f, 'dma_fence_enable_sw_signaling')) return;
  const lock = t.arena.fence(f) + F_LOCK;
  spin_lock(t, lock, f);
  enableSignalingLocked(t, f);
  spin_unlock(t, lock);
}

/** enable_sw_signaling with the fence lock held. */
export function enableSignalingLocked(t: Task, f: Fence): void {
  const h = t.i32;
  const fb = t.arena.fence(f);
  const flags = Atomics.load(h, fb + F_FLAGS);
  if ((flags & (FENCEF_ENABLE_SIGNAL | FENCEF_SIGNALED)) !== 0) return;
  Atomics.or(h, fb + F_FLAGS, FENCEF_ENABLE_SIGNAL);
  if ((h[fb + F_OPS]! & FOPS_ENABLE_SIGNALS) !== 0) signalLocked(t, f);
}

/** Fence context. */
export function dma_fence_context(t: Task, f: Fence): number {
  return t.i32[t.arena.fence(f) + F_CONTEXT]!;
}

/** Fence seqno (up to 2^53). */
export function dma_fence_seqno(t: Task, f: Fence): number {
  const fb = t.arena.fence(f);
  return (t.i32[fb + F_SEQNO_HI]! * 0x100000000) + (t.i32[fb + F_SEQNO_LO]! >>> 0);
}

/**
 * dma_fence_is_later: `f1` is after `f2` on their shared context. WARN and false when the
 * contexts differ. 64-bit compare with SEQNO64, else 32-bit wrap-around compare. The caller holds
 * references to both: a released one is a use-after-free (false, the rows left alone).
 */
export function dma_fence_is_later(t: Task, f1: Fence, f2: Fence): boolean {
  const a = t.arena;
  const h = t.i32;
  if (!fence_check(t, f1, 'dma_fence_is_later') || !fence_check(t, f2, 'dma_fence_is_later')) return false;
  if (dma_fence_context(t, f1) !== dma_fence_context(t, f2)) { t.warn('FENCE_LATER_CONTEXT', f1); return false; }
  if ((Atomics.load(h, a.fence(f1) + F_FLAGS) & FENCEF_SEQNO64) !== 0) {
    return dma_fence_seqno(t, f1) > dma_fence_seqno(t, f2);
  }
  return ((h[a.fence(f1) + F_SEQNO_LO]! - h[a.fence(f2) + F_SEQNO_LO]!) | 0) > 0;
}

/** dma_fence_is_later_or_same: identity, or later. */
export function dma_fence_is_later_or_same(t: Task, f1: Fence, f2: Fence): boolean {
  return f1 === f2 || dma_fence_is_later(t, f1, f2);
}

/** dma_fence_get_stub: a reference to the global always-signaled fence. */
export function dma_fence_get_stub(t: Task): Fence {
  return dma_fence_get(t, STUB_FENCE);
}

/** Declare which actor is expected to signal `f` (e.g. a DMA engine for a job fence). */
export function dma_fence_set_signaler(t: Task, f: Fence, actor: number): void {
  if (!fence_check(t, f, 'dma_fence_set_signaler')) return;
  t.i32[t.arena.fence(f) + F_SIGNALER] = actor + 1;
}

/**
 * dma_fence_begin_signalling: enter a fence signalling section; returns the cookie for end. For
 * lockdep the section holds dma_fence_map (recursive read): locks taken inside depend on it.
 */
export function dma_fence_begin_signalling(t: Task): number {
  lockdepSignallingBegin(t);
  return t.i32[t.base + A_SIGNALLING]!++;
}

/** dma_fence_end_signalling: leave the section entered with `cookie` (and those nested in it). */
export function dma_fence_end_signalling(t: Task, cookie: number): void {
  lockdepSignallingEnd(t, t.i32[t.base + A_SIGNALLING]! - cookie);
  t.i32[t.base + A_SIGNALLING] = cookie;
}

/** Make the stub fence (context 0, seqno 0, signaled) as fence 0 of a fresh trial. */
export function initStubFence(t: Task): void {
  const f = dma_fence_init(t, 0, 0);
  t.i32[t.arena.fence(f) + F_REFCOUNT] = 0x3fffffff;
  t.i32[t.arena.fence(f) + F_SIGNALER] = 0;
  Atomics.or(t.i32, t.arena.fence(f) + F_FLAGS, FENCEF_SIGNALED | FENCEF_ENABLE_SIGNAL);
}
