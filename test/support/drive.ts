/**
 * Drive a model call outside an executor (one task: nothing else runs) to its end, bounded: a wait
 * a bug makes endless — a sleep nobody can end here — throws after `limit` steps instead of
 * spinning the test runner until vitest's timeout (or for ever).
 */
import type { KGen } from '../../src/kernel/types.js';

/** Steps a driven call may take: far beyond any uncontended call's, so only an endless one hits it. */
export const DRIVE_STEP_LIMIT = 100_000;

/** Run kernel generator `g` to its end and return its value; throws after `limit` steps, the
 *  message naming the caller (`who`) and why a call goes without end there (`why`). */
export function drive<T>(g: KGen<T>, limit = DRIVE_STEP_LIMIT, who = 'drive', why = 'a wait nothing here can end'): T {
  for (let step = 0; step < limit; step++) {
    const r = g.next();
    if (r.done === true) return r.value;
  }
  throw new Error(`${who}: no end after ${limit} steps (${why})`);
}
