/**
 * Sleeping on fences and on time: dma_fence_wait_timeout / dma_fence_wait, msleep, usleep_range,
 * and the plain scheduling point `cond_resched`.
 *
 * Time is jiffies: virtual in inline/controlled (it moves only when the scheduler lets the
 * earliest timed sleeper's timeout fire), wall-clock in stress.
 */
import { EINVAL, ERESTARTSYS } from '../errno/errno.js';
import {
  WAITF_INTR, WAITF_TIMED, WAITF_USEC, WAITK_FENCE, WAITK_SLEEP, packOp,
} from '../shm/layout.js';
import { EV_INTERRUPTED, EV_TIMEOUT, OP_FENCE_BLOCKED, OP_FENCE_WAIT, OP_SLEEP, OP_YIELD } from '../trace/ops.js';
import { dma_fence_enable_sw_signaling, dma_fence_is_signaled } from './dma_fence_signal.js';
import { fence_check, fence_stale } from './dma_fence_alloc.js';
import { lockdepMightWait } from './lockdep.js';
import { might_sleep } from './might_sleep.js';
import { schedule_debug } from './schedule_debug.js';
import type { Task } from './task.js';
import { MAX_SCHEDULE_TIMEOUT, type Fence, type KGen } from './types.js';
import { sleep_deadline, timeout_deadline, timeout_left } from './schedule_timeout.js';
import { finish_task_switch } from './hardirq.js';
import { fence_spin_lock, fence_spin_unlock } from './spinlock_fence.js';
import { block, unblock } from './wait.js';
import { WS_DMA_FENCE_WAIT_TIMEOUT } from './wait_site.js';

/**
 * dma_fence_wait_timeout: sleep until `f` signals, at most `timeout` jiffies
 * (MAX_SCHEDULE_TIMEOUT = forever). Enables signaling. Process context; may sleep. Returns what
 * dma_fence_default_wait returns:
 * - a fence signaled before sleeping: `timeout` (1 when called with timeout 0);
 * - `intr` and a signal pending before sleeping: -ERESTARTSYS; timeout 0 and unsignaled: 0;
 * - after sleeping: schedule_timeout's return, the jiffies left when the task runs again (not
 *   when the fence signaled) — so 0 when it runs at or past its deadline, even though the fence
 *   signaled; -ERESTARTSYS when `intr`, a signal is pending and time is left (also when the fence
 *   signaled meanwhile: the kernel tests `ret > 0 && intr && signal_pending()` after every
 *   wake-up);
 * - -EINVAL (WARN) for a negative timeout.
 * Like __dma_fence_might_wait, every call (signaled fence or not) acquires and releases
 * lockdep's dma_fence_map, after might_sleep (SLEEP_IN_ATOMIC under a spinlock: a fence callback
 * that waits). Like dma_fence_default_wait, which tests the flag under fence->lock before sleeping
 * and retakes the lock after every schedule_timeout, a wait returns only through the fence lock
 * (waitEnd): never while the signaller, which sets the flag and runs the callbacks under that
 * lock, is still running them.
 * Returns dma_fence_wait_at's generator itself (no `yield*` frame of its own on every resume):
 * nothing runs until the caller's `yield*` starts it.
 */
export function dma_fence_wait_timeout(t: Task, f: Fence, intr: boolean, timeout: number): KGen<number> {
  return dma_fence_wait_at(t, f, intr, timeout, WS_DMA_FENCE_WAIT_TIMEOUT);
}

/**
 * dma_fence_wait_timeout for a caller that is itself the blocked call a hang is titled after
 * (`site`, wait_site.ts: dma_resv_wait_timeout; dma_fence_wait_timeout's own otherwise, also for
 * dma_fence_wait, a static inline in the kernel). Same contract and returns.
 */
export function* dma_fence_wait_at(t: Task, f: Fence, intr: boolean, timeout: number, site: number): KGen<number> {
  if (timeout < 0) { t.warn('FENCE_WAIT_NEGATIVE', f); return -EINVAL; }
  might_sleep(t, 'dma_fence_wait_timeout', f);
  yield packOp(OP_FENCE_WAIT, f);
  lockdepMightWait(t, f);
  if (!fence_check(t, f, 'dma_fence_wait_timeout')) return timeout === 0 ? 1 : timeout;
  dma_fence_enable_sw_signaling(t, f);
  if (dma_fence_is_signaled(t, f)) return waitEnd(t, f, timeout === 0 ? 1 : timeout);
  if (intr && t.signalPending()) return -ERESTARTSYS;
  if (timeout === 0) return 0;
  const deadline = timeout_deadline(t, timeout);
  const timed = deadline !== 0;
  block(t, WAITK_FENCE, f, (timed ? WAITF_TIMED : 0) | (intr ? WAITF_INTR : 0), deadline, 0, site);
  t.trace(packOp(OP_FENCE_BLOCKED, f));
  for (;;) {
    yield packOp(OP_FENCE_BLOCKED, f);
    finish_task_switch(t);
    // While time is left, a pending signal wins even over a fence signaled meanwhile: the kernel's
    // default wait tests `ret > 0 && signal_pending()` right after schedule_timeout().
    const pending = intr && t.signalPending();
    if (pending && !timed) return interrupted(t, f);
    const signaled = dma_fence_is_signaled(t, f);
    const left = timeout_left(t, deadline, timeout);
    if (pending && left > 0) return interrupted(t, f);
    if (signaled || left === 0) {
      unblock(t);
      if (left === 0) t.trace(packOp(EV_TIMEOUT, f));
      return waitEnd(t, f, left);
    }
  }
}

/** End an interrupted fence sleep: -ERESTARTSYS. */
function interrupted(t: Task, f: Fence): number {
  unblock(t);
  t.trace(packOp(EV_INTERRUPTED, f));
  return waitEnd(t, f, -ERESTARTSYS);
}

/**
 * Return `ret` from a fence wait through `f`'s lock, as dma_fence_default_wait leaves: take and
 * drop it, so a signaller that set the flag under it has run every callback first (in stress a
 * waiter polls the flag without the lock). A fence released meanwhile (already reported) is not
 * touched. Context: `t`, holding no fence lock of `f` (might_sleep reported one held).
 */
function waitEnd(t: Task, f: Fence, ret: number): number {
  if (!fence_stale(t, f)) fence_spin_unlock(t, f, fence_spin_lock(t, f));
  return ret;
}

/** dma_fence_wait: sleep until `f` signals. 0, or -ERESTARTSYS when interrupted. */
export function* dma_fence_wait(t: Task, f: Fence, intr: boolean): KGen<number> {
  const r = yield* dma_fence_wait_at(t, f, intr, MAX_SCHEDULE_TIMEOUT, WS_DMA_FENCE_WAIT_TIMEOUT);
  return r < 0 ? r : 0;
}

/** msleep / schedule_timeout_uninterruptible: let `jiffies` of time pass. Sleeps, with no
 *  might_sleep in the kernel: under a spinlock it is schedule_debug's SCHEDULE_WHILE_ATOMIC. */
export function* msleep(t: Task, jiffies: number): KGen<void> {
  schedule_debug(t, 'msleep');
  const deadline = sleep_deadline(t, Math.max(0, jiffies));
  block(t, WAITK_SLEEP, 0, WAITF_TIMED, deadline, 0);
  do {
    yield packOp(OP_SLEEP, 0);
    finish_task_switch(t);
  } while (t.now() < deadline);
  unblock(t);
}

/** Longest usleep_range the model keeps (µs): the length is an int32 of the wait record. */
const USLEEP_MAX_US = 0x7fffffff;

/**
 * usleep_range: sleep `minUs`..`maxUs` µs (an hrtimer sleep, below jiffy resolution). Process
 * context; sleeps, with no might_sleep in the kernel: under a spinlock it is schedule_debug's
 * SCHEDULE_WHILE_ATOMIC, after the range check below. Under the virtual clock (inline,
 * controlled) the sleep lasts `minUs` rounded up to whole jiffies, the clock's unit, so a polling
 * loop bounded by time still reaches its end.
 * In stress it sleeps `minUs` of wall time (the futex's timer slack stretches it, as the range
 * allows).
 *
 * `maxUs` < `minUs` is what usleep_range_state (kernel/time/sleep_timeout.c, since 6.13) checks:
 * `if (WARN_ON_ONCE(max < min)) delta = 0;` — a WARN once per boot (the call site's `__warned`),
 * then the sleep still lasts `min`, with no slack. The model WARNs once per trial, its boot
 * (USLEEP_RANGE_INVERTED: Task.warnOnce, the first caller's record stands for every later one),
 * and sleeps `minUs`.
 */
export function* usleep_range(t: Task, minUs: number, maxUs: number): KGen<void> {
  if (maxUs < minUs) t.warnOnce('USLEEP_RANGE_INVERTED', minUs);
  schedule_debug(t, 'usleep_range');
  const us = Math.min(Math.max(1, Math.floor(minUs)), USLEEP_MAX_US);
  const deadline = sleep_deadline(t, Math.ceil(us / 1000));
  block(t, WAITK_SLEEP, us, WAITF_TIMED | WAITF_USEC, deadline, 0);
  yield packOp(OP_SLEEP, 0);
  finish_task_switch(t);
  unblock(t);
}

/** cond_resched: a scheduling point carrying `tag` as its object, with no other effect than
 *  its might_sleep (__might_resched under CONFIG_DEBUG_ATOMIC_SLEEP: SLEEP_IN_ATOMIC, titled
 *  after cond_resched, under a spinlock). */
export function* cond_resched(t: Task, tag = 0): KGen<void> {
  might_sleep(t, 'cond_resched');
  yield packOp(OP_YIELD, tag);
}
