/**
 * Driver-private state: kzalloc'd words in the arena (per trial), so krefs, completions and
 * driver flags are shared by every actor thread. A handle is the word's index in the private
 * region.
 */
import { HarnessError } from '../errno/errors.js';
import { C_NEXT_PRIV } from '../shm/layout.js';
import type { gfp_t } from './gfp.js';
import { might_alloc } from './lockdep_map.js';
import type { Task } from './task.js';

/**
 * kzalloc(n words, gfp): `n` zeroed words; returns the index of the first. An allocation that may
 * enter direct reclaim (GFP_KERNEL …) is annotated first (might_alloc: the held locks → fs_reclaim;
 * inside a fence signalling section a circular-locking finding). Any task; never sleeps, is no
 * scheduling point. The cursor moves by a CAS only when the words fit, so a request that does not
 * fit throws ERR_ARENA_GEOMETRY (a harness capacity problem: raise the geometry) and leaves the
 * cursor where it was — the next request gets the index it would have got without the failed one.
 */
export function kzalloc_words(t: Task, n: number, gfp: gfp_t): number {
  const at = kzalloc_words_or_fail(t, n, gfp);
  if (at < 0) {
    throw new HarnessError('ERR_ARENA_GEOMETRY', `arena: no room for ${n} private words (geometry allows ${t.arena.geometry.privWords})`);
  }
  return at;
}

/**
 * kzalloc that may fail: as kzalloc_words (annotated the same way), but -1 (the kernel's NULL)
 * when the words do not fit, for the model's callers that handle an allocation failure as the
 * kernel's code does.
 */
export function kzalloc_words_or_fail(t: Task, n: number, gfp: gfp_t): number {
  might_alloc(t, gfp);
  const cursor = t.ctl + C_NEXT_PRIV;
  for (let at = Atomics.load(t.i32, cursor); ;) {
    if (at + n > t.arena.geometry.privWords) return -1;
    const seen = Atomics.compareExchange(t.i32, cursor, at, at + n);
    if (seen === at) return at;
    at = seen;
  }
}

/** Arena index of private word `w`. */
export function privIndex(t: Task, w: number): number {
  return t.arena.layout.priv + w;
}

export function priv_load(t: Task, w: number): number {
  return Atomics.load(t.i32, privIndex(t, w));
}

export function priv_store(t: Task, w: number, v: number): void {
  Atomics.store(t.i32, privIndex(t, w), v);
}
