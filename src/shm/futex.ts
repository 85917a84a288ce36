/**
 * Futex helpers: the only place that calls Atomics.wait. Every wait is bounded: callers loop
 * with their own deadline and re-check why they wait (a trial may have ended meanwhile).
 */

export const FUTEX_OK = 0;
export const FUTEX_NOT_EQUAL = 1;
export const FUTEX_TIMED_OUT = 2;

/** Sleep while `i32[idx] === value`, at most `ms` milliseconds. Returns FUTEX_*. */
export function futexWait(i32: Int32Array, idx: number, value: number, ms: number): number {
  const r = Atomics.wait(i32, idx, value, ms);
  return r === 'ok' ? FUTEX_OK : r === 'not-equal' ? FUTEX_NOT_EQUAL : FUTEX_TIMED_OUT;
}

/** Wake up to `count` sleepers on `i32[idx]`. */
export function futexWake(i32: Int32Array, idx: number, count = 1): number {
  return Atomics.notify(i32, idx, count);
}

/**
 * Spin up to `spins` loads while `i32[idx] === value`, then sleep at most `ms`. Returns true
 * when the word changed. Use when the waiter has a core of its own (threads ≤ cores).
 */
export function spinThenWait(i32: Int32Array, idx: number, value: number, spins: number, ms: number): boolean {
  for (let i = 0; i < spins; i++) {
    if (Atomics.load(i32, idx) !== value) return true;
  }
  return Atomics.wait(i32, idx, value, ms) !== 'timed-out';
}

/** Sleep (no spinning) at most `ms` while `i32[idx] === value`. Returns true when it changed. */
export function sleepWait(i32: Int32Array, idx: number, value: number, ms: number): boolean {
  return Atomics.wait(i32, idx, value, ms) !== 'timed-out';
}
