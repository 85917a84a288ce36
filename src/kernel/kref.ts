/**
 * kref and completion (include/linux/kref.h, kernel/sched/completion.c) on driver-private words.
 *
 * kref_get on zero and kref_put below zero are the refcount_t warnings ("addition on 0;
 * use-after-free", "underflow; use-after-free"); the count saturates rather than wrapping.
 * wait_for_completion sleeps until complete() was called more times than it was waited for;
 * waiting with nobody left to complete is a hang the executors report.
 */
import { WAITK_WORD } from '../shm/layout.js';
import { OP_WAIT_EVENT } from '../trace/ops.js';
import { packOp } from '../shm/layout.js';
import { C_MODE, EXEC_STRESS } from '../shm/layout.js';
import { privIndex } from './priv.js';
import type { Task } from './task.js';
import type { KGen } from './types.js';
import { block, unblock } from './wait.js';

/** kref_init: the count is 1. */
export function kref_init(t: Task, kref: number): void {
  Atomics.store(t.i32, privIndex(t, kref), 1);
}

/** kref_get: +1; on 0 WARN (use-after-free) and leave it at 0. */
export function kref_get(t: Task, kref: number): void {
  if (!refcount_inc_not_zero(t, privIndex(t, kref))) t.warn('KREF_GET_ZERO', kref);
}

/**
 * refcount_inc_not_zero on arena word `index` (an absolute index; any task, atomic): +1 unless
 * the count is 0 (or below, after an underflow), which it leaves alone. Whether it added.
 */
export function refcount_inc_not_zero(t: Task, index: number): boolean {
  for (;;) {
    const v = Atomics.load(t.i32, index);
    if (v <= 0) return false;
    if (Atomics.compareExchange(t.i32, index, v, v + 1) === v) return true;
  }
}

/** kref_put: -1; returns true when it reached 0 (call release). Below zero WARNs and stays 0. */
export function kref_put(t: Task, kref: number): boolean {
  const i = privIndex(t, kref);
  for (;;) {
    const v = Atomics.load(t.i32, i);
    if (v <= 0) { t.warn('KREF_PUT_UNDERFLOW', kref); return false; }
    if (Atomics.compareExchange(t.i32, i, v, v - 1) === v) return v === 1;
  }
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

/** wait_for_completion: sleep until complete() has been called; consumes one completion. */
export function* wait_for_completion(t: Task, c: number): KGen<void> {
  const i = privIndex(t, c);
  for (;;) {
    const v = Atomics.load(t.i32, i);
    if (v > 0 && Atomics.compareExchange(t.i32, i, v, v - 1) === v) return;
    if (v > 0) continue;
    yield* wait_event(t, i, 0);
  }
}

/**
 * wait_event: sleep until arena word `index` no longer equals `value` (a doorbell or a completion
 * count). The word is an absolute arena index (priv words: privIndex). Returns at once if it
 * already differs.
 */
export function* wait_event(t: Task, index: number, value: number): KGen<void> {
  yield packOp(OP_WAIT_EVENT, index & 0xffffff);
  if (Atomics.load(t.i32, index) !== value) return;
  block(t, WAITK_WORD, index, 0, 0, value);
  while (Atomics.load(t.i32, index) === value) yield packOp(OP_WAIT_EVENT, index & 0xffffff);
  unblock(t);
}

/** wake_up for wait_event sleepers on arena word `index` (they re-check their condition). */
export function wake_up_word(t: Task, index: number): void {
  if (t.i32[t.ctl + C_MODE] === EXEC_STRESS) t.wake(index);
}
