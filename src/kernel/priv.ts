/**
 * Driver-private state: kzalloc'd words in the arena (per trial), so krefs, completions and
 * driver flags are shared by every actor thread. A handle is the word's index in the private
 * region. Words given back (kfree_words: the fence containers at release) serve a later kzalloc
 * of the same length; the rest are never reused within a trial.
 */
import { HarnessError } from '../errno/errors.js';
import { C_FENCE_LOCK, C_FREE_PRIV, C_NEXT_PRIV } from '../shm/layout.js';
import type { gfp_t } from './gfp.js';
import { might_alloc } from './lockdep_map.js';
import { spin_lock, spin_unlock } from './spinlock.js';
import type { Task } from './task.js';

/**
 * kzalloc(n words, gfp): `n` zeroed words; returns the index of the first. An allocation that may
 * enter direct reclaim (GFP_KERNEL …) is annotated first (might_alloc: the held locks → fs_reclaim;
 * inside a fence signalling section a circular-locking finding). Any task; never sleeps, is no
 * scheduling point. The cursor moves by a CAS only when the words fit, so a request that does not
 * fit throws ERR_ARENA_GEOMETRY (a harness capacity problem: raise the geometry) and leaves the
 * cursor where it was — the next request gets the index it would have got without the failed one.
 * A caller writes only inside its `n` words: a trial reset zeroes the private words only below the
 * cursor (shm/layout/cursor_tables.ts), so a word written past it would outlive the trial.
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
  const reused = takeFreed(t, n);
  if (reused >= 0) return reused;
  const cursor = t.ctl + C_NEXT_PRIV;
  for (let at = Atomics.load(t.i32, cursor); ;) {
    if (at + n > t.arena.geometry.privWords) return -1;
    const seen = Atomics.compareExchange(t.i32, cursor, at, at + n);
    if (seen === at) return at;
    at = seen;
  }
}

/**
 * kfree: give back the `n` words at `w` (as kzalloc'd, n >= 2; the caller's last use) for a later
 * kzalloc of exactly `n` words. Any task; takes C_FENCE_LOCK (the words' users are fences).
 */
export function kfree_words(t: Task, w: number, n: number): void {
  spin_lock(t, t.ctl + C_FENCE_LOCK, 0);
  priv_store(t, w, Atomics.load(t.i32, t.ctl + C_FREE_PRIV));
  priv_store(t, w + 1, n);
  Atomics.store(t.i32, t.ctl + C_FREE_PRIV, w + 1);
  spin_unlock(t, t.ctl + C_FENCE_LOCK);
}

/** A given-back block of exactly `n` words, zeroed, or -1 when there is none (an empty list is
 *  seen without the lock: nothing was ever given back, or a racing give-back is simply missed). */
function takeFreed(t: Task, n: number): number {
  if (Atomics.load(t.i32, t.ctl + C_FREE_PRIV) === 0) return -1;
  spin_lock(t, t.ctl + C_FENCE_LOCK, 0);
  let link = t.ctl + C_FREE_PRIV;
  let w = Atomics.load(t.i32, link) - 1;
  while (w >= 0 && priv_load(t, w + 1) !== n) {
    link = privIndex(t, w);
    w = Atomics.load(t.i32, link) - 1;
  }
  if (w >= 0) Atomics.store(t.i32, link, priv_load(t, w));
  spin_unlock(t, t.ctl + C_FENCE_LOCK);
  if (w >= 0) t.i32.fill(0, privIndex(t, w), privIndex(t, w) + n);
  return w;
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
