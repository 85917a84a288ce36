/**
 * Signalling a fence (drivers/dma-buf/dma-fence.c, 7.0-era semantics): signal once (running the
 * registered callbacks), the error and status, enable_sw_signaling, and the fence signalling
 * annotations (dma_fence_begin/end_signalling) for callers to wrap their signalling paths in.
 * dma_fence_signal takes them itself, as the kernel's does: its callbacks run in a signalling
 * section, so a lock (or lockdep map) a callback takes depends on dma_fence_map. The other
 * signalling paths do not annotate, as in the kernel: dma_fence_check_and_signal, the
 * enable_signaling path and dma_fence_release's signal of a fence released unsignaled (all
 * dma_fence_signal_locked there). Making fences is in dma_fence_init.ts, references in
 * dma_fence_ref.ts.
 *
 * Context: any task. Nothing here sleeps; signalling takes the fence spinlock and runs the
 * registered callbacks in the signalling task, in registration order.
 */
import {
  A_SIGNALLING, CBS_RUN, B_FENCE, B_FN, B_NEXT, B_STATE, FENCEF_ENABLE_SIGNAL, FENCEF_SIGNALED, FENCEF_TIMESTAMP,
  FENCEF_WAITERS, FOPS_ENABLE_SIGNALS, F_CB_HEAD, F_CB_TAIL, F_ERROR, F_FLAGS, F_LOCK, F_OPS, F_TIMESTAMP, packOp,
} from '../shm/layout.js';
import { EV_CB_RUN, EV_SIGNALED } from '../trace/ops.js';
import { fence_check, fence_stale } from './dma_fence_alloc.js';
import { container_ops, fence_callback } from './dma_fence_ops.js';
// The containers register their ops and kernel callbacks when loaded: load them wherever fences
// are signalled or put.
import './dma_fence_array.js';
import './dma_fence_chain.js';
import './dma_fence_default_wait_cb.js';
import { lockdepSignallingBegin, lockdepSignallingEnd } from './lockdep.js';
import { in_atomic } from './preempt.js';
import { spin_held_by } from './spinlock.js';
import { fence_spin_lock, fence_spin_unlock } from './spinlock_fence.js';
import type { Task } from './task.js';
import type { Fence } from './types.js';

/** Largest errno accepted by dma_fence_set_error. */
const MAX_ERRNO = 4095;

/**
 * dma_fence_signal: signal once; later calls do nothing. Runs pending callbacks in order, inside
 * a fence signalling section (dma_fence_begin_signalling around the locked signal, as the kernel
 * does: none when called holding a spinlock). A released (stale) handle is reported
 * (FENCE_USE_AFTER_FREE) before the section.
 */
export function dma_fence_signal(t: Task, f: Fence): void {
  if (!fence_check(t, f, 'dma_fence_signal')) return;
  const cookie = dma_fence_begin_signalling(t);
  signalUnderLock(t, f, cookie);
  dma_fence_end_signalling(t, cookie);
}

/** dma_fence_check_and_signal: signal `f`; true when it was already signaled (or released:
 *  WARN). */
export function dma_fence_check_and_signal(t: Task, f: Fence): boolean {
  if (!fence_check(t, f, 'dma_fence_check_and_signal')) return true;
  return signalUnderLock(t, f);
}

/**
 * dma_fence_signal_locked: signal `f` with its lock held — from a driver's ops->enable_signaling,
 * which the core calls under the lock (dma_fence_signal there is recursion on the lock:
 * SPIN_RECURSION). Like the kernel's lockdep_assert_held, a lock the calling task does not hold —
 * free, or another task's — WARNs (FENCE_LOCK_NOT_HELD) and the fence is signalled all the same;
 * no signalling annotation.
 */
export function dma_fence_signal_locked(t: Task, f: Fence): void {
  if (!fence_check(t, f, 'dma_fence_signal_locked')) return;
  if (!spin_held_by(t, t.arena.fence(f) + F_LOCK)) t.warn('FENCE_LOCK_NOT_HELD', f);
  signalLocked(t, f);
}

/**
 * Take the fence lock, signal (signalLocked, `sections` as there), drop it: no annotation.
 * Returns true when it was already signaled. The caller checked the handle.
 */
export function signalUnderLock(t: Task, f: Fence, sections = t.i32[t.base + A_SIGNALLING]!): boolean {
  const cookie = fence_spin_lock(t, f);
  const was = signalLocked(t, f, sections);
  fence_spin_unlock(t, f, cookie);
  return was;
}

/**
 * Signal with the fence lock held. Returns true when it was already signaled. The EV_SIGNALED
 * event records the fence's error and `sections`: the signalling-section depth the signaller
 * was in, dma_fence_signal's own section not counted.
 */
export function signalLocked(t: Task, f: Fence, sections = t.i32[t.base + A_SIGNALLING]!): boolean {
  const h = t.i32;
  const fb = t.arena.fence(f);
  if ((Atomics.load(h, fb + F_FLAGS) & FENCEF_SIGNALED) !== 0) return true;
  h[fb + F_TIMESTAMP] = t.now();
  const was = Atomics.or(h, fb + F_FLAGS, FENCEF_SIGNALED | FENCEF_TIMESTAMP);
  t.trace(packOp(EV_SIGNALED, f), h[fb + F_ERROR]!, sections);
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
    const fn = fence_callback(t, h[bb + B_FN]!);
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

/**
 * dma_fence_is_signaled: the SIGNALED flag, else a container's `signaled` op — true from it
 * signals the container first (dma_fence_signal, as the kernel's), so the flag follows. A plain
 * fence has no `signaled` op. Released: WARN, true.
 */
export function dma_fence_is_signaled(t: Task, f: Fence): boolean {
  if (!fence_check(t, f, 'dma_fence_is_signaled')) return true;
  if ((Atomics.load(t.i32, t.arena.fence(f) + F_FLAGS) & FENCEF_SIGNALED) !== 0) return true;
  if (container_ops(t, f)?.signaled(t, f) !== true) return false;
  dma_fence_signal(t, f);
  return true;
}

/** The SIGNALED flag for a lockless (RCU) reader holding no reference, whose handle may be
 *  released meanwhile (legal under RCU): such a fence reads as signaled, and nothing is
 *  reported. */
export function dma_fence_is_signaled_rcu(t: Task, f: Fence): boolean {
  if (fence_stale(t, f)) return true;
  return (Atomics.load(t.i32, t.arena.fence(f) + F_FLAGS) & FENCEF_SIGNALED) !== 0;
}

/** dma_fence_test_signaled_flag: the SIGNALED flag alone — no `signaled` op, so a container
 *  whose fences are done reads false until something signals it. Released: WARN, true. */
export function dma_fence_test_signaled_flag(t: Task, f: Fence): boolean {
  if (!fence_check(t, f, 'dma_fence_test_signaled_flag')) return true;
  return (Atomics.load(t.i32, t.arena.fence(f) + F_FLAGS) & FENCEF_SIGNALED) !== 0;
}

/**
 * dma_fence_enable_sw_signaling: set ENABLE_SIGNAL; the first time, a fence whose ops signal on
 * enable signals now. Idempotent.
 */
export function dma_fence_enable_sw_signaling(t: Task, f: Fence): void {
  if (!fence_check(t, f, 'dma_fence_enable_sw_signaling')) return;
  const cookie = fence_spin_lock(t, f);
  enableSignalingLocked(t, f);
  fence_spin_unlock(t, f, cookie);
}

/**
 * enable_sw_signaling with the fence lock held: the first time, ops->enable_signaling — a
 * container's (it arms callbacks on what it contains), or a plain fence's FOPS_ENABLE_SIGNALS —
 * and the signal when it reports the fence done.
 */
export function enableSignalingLocked(t: Task, f: Fence): void {
  const h = t.i32;
  const fb = t.arena.fence(f);
  const flags = Atomics.load(h, fb + F_FLAGS);
  if ((flags & (FENCEF_ENABLE_SIGNAL | FENCEF_SIGNALED)) !== 0) return;
  Atomics.or(h, fb + F_FLAGS, FENCEF_ENABLE_SIGNAL);
  const ops = container_ops(t, f);
  const done = ops !== undefined ? !ops.enable_signaling(t, f) : (h[fb + F_OPS]! & FOPS_ENABLE_SIGNALS) !== 0;
  if (done) signalLocked(t, f);
}

/**
 * dma_fence_begin_signalling: enter a fence signalling section; returns the cookie for end. For
 * lockdep the section holds dma_fence_map (recursive read): locks taken inside depend on it.
 * Holding a spinlock or in hardirq context (in_atomic(): preempt_count, so not for interrupts
 * disabled alone) the kernel opens no section — it relies on might_sleep there —, nor does the
 * model: the cookie then makes end a no-op.
 */
export function dma_fence_begin_signalling(t: Task): number {
  const depth = t.i32[t.base + A_SIGNALLING]!;
  if (in_atomic(t)) return depth;
  lockdepSignallingBegin(t);
  t.i32[t.base + A_SIGNALLING] = depth + 1;
  return depth;
}

/** dma_fence_end_signalling: leave the section entered with `cookie` (and those nested in it). */
export function dma_fence_end_signalling(t: Task, cookie: number): void {
  lockdepSignallingEnd(t, t.i32[t.base + A_SIGNALLING]! - cookie);
  t.i32[t.base + A_SIGNALLING] = cookie;
}
