/**
 * kref and completion (include/linux/kref.h, kernel/sched/completion.c) on driver-private words,
 * and the refcount_t rules (include/linux/refcount.h, lib/refcount.c) they, dma-buf file
 * references and dma_fence references (dma_fence_ref.ts) follow.
 *
 * refcount_t: lib/refcount.c refcount_warn_saturate() sets the count to REFCOUNT_SATURATED and
 * WARNs one text per `enum refcount_saturation_type`; the model reaches four of them:
 * - REFCOUNT_ADD_UAF, an increment on 0: "addition on 0; use-after-free";
 * - REFCOUNT_ADD_OVF, an increment on a saturated (negative) count: "saturated; leaking memory"
 *   (`__refcount_add`: `if (!old) ... ADD_UAF; else if (old < 0 || old + i < 0) ... ADD_OVF`);
 * - REFCOUNT_ADD_NOT_ZERO_OVF, refcount_inc_not_zero on a saturated count: the same text;
 * - REFCOUNT_SUB_UAF, a decrement finding 0 or a saturated count: "underflow; use-after-free"
 *   (`__refcount_sub_and_test`: `if (unlikely(old <= 0 || old - i < 0))`), so a put on a count a
 *   get saturated WARNs as well.
 * (REFCOUNT_DEC_LEAK, refcount_dec() reaching 0, has no caller in the model.) Once saturated the
 * count never moves again: no later get or put frees the object again or brings it back to life.
 * REFCOUNT_WARN is WARN_ONCE, and a trial is one boot, so each of these warnings is recorded
 * once per trial (refcount_warn), however many tasks hit it at the same instant. kref_init on a
 * saturated count starts it over (refcount_set).
 * wait_for_completion sleeps until complete() was called more times than it was waited for;
 * waiting with nobody left to complete is a hang the executors report.
 */
import { WS_PRIMITIVE, WS_WAIT_FOR_COMPLETION } from './wait_site.js';
import { C_MODE, EXEC_STRESS } from '../shm/layout.js';
import { might_sleep } from './might_sleep.js';
import { privIndex } from './priv.js';
import type { Task } from './task.js';
import type { KGen } from './types.js';
import { sleep_on_word } from './wait.js';
import type { WarnName } from './warn.js';

/** REFCOUNT_SATURATED (INT_MIN / 2): where a misused count stays. */
export const REFCOUNT_SATURATED = -0x40000000;

/** kref_init: the count is 1. */
export function kref_init(t: Task, kref: number): void {
  Atomics.store(t.i32, privIndex(t, kref), 1);
}

/**
 * kref_get (refcount_inc): +1. On 0 WARNs KREF_GET_ZERO ("addition on 0") and saturates; on a
 * saturated count WARNs KREF_GET_SATURATED ("saturated; leaking memory") and it stays. Each
 * warning once a trial.
 */
export function kref_get(t: Task, kref: number): void {
  const old = refcount_inc(t, privIndex(t, kref));
  if (old === 0) refcount_warn(t, 'KREF_GET_ZERO', kref);
  else if (old < 0) refcount_warn(t, 'KREF_GET_SATURATED', kref);
}

/**
 * refcount_inc on arena word `index` (an absolute index; any task, atomic): +1 while positive;
 * 0 or saturated (below zero) becomes REFCOUNT_SATURATED. Returns the old value: the caller
 * WARNs when it was not positive.
 */
export function refcount_inc(t: Task, index: number): number {
  for (;;) {
    const v = Atomics.load(t.i32, index);
    const next = v > 0 ? v + 1 : REFCOUNT_SATURATED;
    if (Atomics.compareExchange(t.i32, index, v, next) === v) return v;
  }
}

/**
 * refcount_inc_not_zero on arena word `index` (an absolute index; any task, atomic): +1 unless
 * the count is 0, which it leaves alone. A saturated count stays saturated and counts as taken,
 * as in the kernel (the object is leaked, never freed); the caller WARNs for it (the kernel's
 * REFCOUNT_ADD_NOT_ZERO_OVF), which this boolean form cannot tell: use refcount_inc_not_zero_old.
 * Whether it took a reference.
 */
export function refcount_inc_not_zero(t: Task, index: number): boolean {
  return refcount_inc_not_zero_old(t, index) !== 0;
}

/**
 * __refcount_inc_not_zero with its `oldp`: refcount_inc_not_zero, returning the count it found —
 * 0: nothing taken; positive: incremented; negative (saturated): taken, but the count did not
 * move, so there is nothing to give back.
 */
export function refcount_inc_not_zero_old(t: Task, index: number): number {
  for (;;) {
    const v = Atomics.load(t.i32, index);
    if (v <= 0) return v;
    if (Atomics.compareExchange(t.i32, index, v, v + 1) === v) return v;
  }
}

/**
 * refcount_dec_and_test on arena word `index` (an absolute index; any task, atomic): -1 while
 * positive; 0 or saturated becomes REFCOUNT_SATURATED. Returns the old value: 1 means the count
 * reached 0 (release), not positive means the caller WARNs (underflow).
 */
export function refcount_dec(t: Task, index: number): number {
  for (;;) {
    const v = Atomics.load(t.i32, index);
    const next = v > 0 ? v - 1 : REFCOUNT_SATURATED;
    if (Atomics.compareExchange(t.i32, index, v, next) === v) return v;
  }
}

/**
 * kref_put (refcount_dec_and_test): -1; true when it reached 0 (call release). Below one WARNs
 * KREF_PUT_UNDERFLOW (once a trial), saturates and returns false: nothing is released again.
 */
export function kref_put(t: Task, kref: number): boolean {
  const old = refcount_dec(t, privIndex(t, kref));
  if (old <= 0) refcount_warn(t, 'KREF_PUT_UNDERFLOW', kref);
  return old === 1;
}

/**
 * REFCOUNT_WARN (WARN_ONCE): record `name` on object `obj` unless some task already warned it
 * this trial (Task.warnOnce). Any task; tasks warning at the same instant record it once.
 */
export function refcount_warn(t: Task, name: WarnName, obj: number): void {
  t.warnOnce(name, obj);
}

export function kref_read(t: Task, kref: number): number {
  return Atomics.load(t.i32, privIndex(t, kref));
}

/** init_completion / reinit_completion: nothing completed yet. */
export function init_completion(t: Task, c: number): void {
  Atomics.store(t.i32, privIndex(t, c), 0);
}
export const reinit_completion = init_completion;

/** complete: wake one waiter (or let the next wait return at once). */
export function complete(t: Task, c: number): void {
  const i = privIndex(t, c);
  Atomics.add(t.i32, i, 1);
  if (t.i32[t.ctl + C_MODE] === EXEC_STRESS) t.wake(i, 1);
}

/** wait_for_completion: sleep until complete() has been called; consumes one completion. May sleep:
 *  under a spinlock it is SLEEP_IN_ATOMIC (might_sleep.ts), whether or not it then sleeps. */
export function* wait_for_completion(t: Task, c: number): KGen<void> {
  might_sleep(t, 'wait_for_completion', c);
  const i = privIndex(t, c);
  for (;;) {
    const v = Atomics.load(t.i32, i);
    if (v > 0 && Atomics.compareExchange(t.i32, i, v, v - 1) === v) return;
    if (v > 0) continue;
    yield* sleep_on_word(t, i, 0, WS_WAIT_FOR_COMPLETION);
  }
}

/**
 * wait_event: sleep until arena word `index` no longer equals `value` (a doorbell or a completion
 * count). The word is an absolute arena index (priv words: privIndex). Returns at once if it
 * already differs. May sleep: under a spinlock it is SLEEP_IN_ATOMIC (might_sleep.ts). `site` names
 * the blocked call a hang is titled after (wait_site.ts): the caller's own function, wait_event
 * being a macro in the kernel; WS_PRIMITIVE: wait_event.
 * Not a generator itself: it runs might_sleep when called and returns sleep_on_word's generator
 * (no `yield*` frame of its own on every resume), so call it only as `yield* wait_event(...)`.
 */
export function wait_event(t: Task, index: number, value: number, site = WS_PRIMITIVE): KGen<void> {
  might_sleep(t, 'wait_event', index);
  return sleep_on_word(t, index, value, site);
}

/** wake_up for wait_event sleepers on arena word `index` (they re-check their condition). */
export function wake_up_word(t: Task, index: number): void {
  if (t.i32[t.ctl + C_MODE] === EXEC_STRESS) t.wake(index);
}
