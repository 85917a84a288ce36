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



// Seats: a turn token word per thread. 0 = not your turn, 1 = your turn, 2 = not your turn and
// the owner is (about to be) asleep in Atomics.wait, so the granter must notify. A granter that
// finds 0 skips the notify: a spinning owner sees the 1 by itself.
export const SEAT_EMPTY = 0;
export const SEAT_GRANTED = 1;
export const SEAT_SLEEPING = 2;

/** Give the turn to the owner of seat `idx`; notifies only an owner that announced sleeping. */
export function seatGrant(i32: Int32Array, idx: number): void {
  if (Atomics.exchange(i32, idx, SEAT_GRANTED) === SEAT_SLEEPING) Atomics.notify(i32, idx, 1);
}

/**
 * Spin policy: spin up to `spins` loads for the turn, then announce sleeping and sleep at most
 * `ms`. Returns true once the turn is granted (the seat is then reset to empty), false when this
 * slice ended without it — the caller re-checks why it waits and calls again.
 */
export function seatAwaitSpinning(i32: Int32Array, idx: number, spins: number, ms: number): boolean {
  for (let i = 0; i < spins; i++) {
    if (Atomics.load(i32, idx) === SEAT_GRANTED) return seatTake(i32, idx);
  }
  return seatSleep(i32, idx, ms);
}

/** Sleep policy: announce sleeping at once and sleep at most `ms` (see seatAwaitSpinning). */
export function seatAwaitSleeping(i32: Int32Array, idx: number, ms: number): boolean {
  if (Atomics.load(i32, idx) === SEAT_GRANTED) return seatTake(i32, idx);
  return seatSleep(i32, idx, ms);
}

function seatSleep(i32: Int32Array, idx: number, ms: number): boolean {
  const prev = Atomics.compareExchange(i32, idx, SEAT_EMPTY, SEAT_SLEEPING);
  if (prev === SEAT_GRANTED) return seatTake(i32, idx);
  Atomics.wait(i32, idx, SEAT_SLEEPING, ms);
  if (Atomics.load(i32, idx) === SEAT_GRANTED) return seatTake(i32, idx);
  return false;
}

function seatTake(i32: Int32Array, idx: number): boolean {
  Atomics.store(i32, idx, SEAT_EMPTY);
  return true;
}
