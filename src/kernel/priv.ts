/**
 * Driver-private state: kzalloc'd words in the arena (per trial), so krefs, completions and
 * driver flags are shared by every actor thread. A handle is the word's index in the private
 * region. Words given back (kfree_words: the fence containers at release, dma_fence_wait_any's
 * nodes) are poisoned (priv_kasan.ts) until a later kzalloc of the same length reuses them. Reuse
 * rule (a bounded quarantine): while the cursor is below half the region a kzalloc takes fresh
 * words, so a late access through a freed block is reported; from half the region on it takes an
 * exact-length freed block first (the most recently freed), fresh words only when none fits — so a
 * trial that frees as much as it allocates never runs out, however long it runs. The rest are
 * never reused within a trial. Every block has a record (priv_record.ts: its length, who
 * allocated and who freed it, in which function), which kfree_words checks and KASAN's reports
 * carry; the accessors never read it.
 */
import { HarnessError } from '../errno/errors.js';
import { C_FENCE_LOCK, C_FREE_PRIV, C_NEXT_PRIV } from '../shm/layout.js';
import type { gfp_t } from './gfp.js';
import { might_alloc } from './lockdep_map.js';
import {
  kasan_poison_priv, kasan_priv_poisoned, kasan_report_free, kasan_report_priv, kasan_unpoison_priv,
} from './priv_kasan.js';
import { privBlockLen, privRecordAlloc, privRecordFree, privSiteId, type PrivSite } from './priv_record.js';
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
 * cursor (shm/layout/cursor_tables.ts), so a word written past it would outlive the trial. Which
 * words it gets: the reuse rule in this file's header. `by`, the allocating function (the
 * record's "allocated in": the model function standing for the kernel's allocating one; cheaper
 * than finding the caller on every kzalloc) is required, so every record names one.
 */
export function kzalloc_words(t: Task, n: number, gfp: gfp_t, by: PrivSite): number {
  const at = kzalloc_words_or_fail(t, n, gfp, by);
  if (at < 0) {
    throw new HarnessError('ERR_ARENA_GEOMETRY', `arena: no room for ${n} private words (geometry allows ${t.arena.geometry.privWords})`);
  }
  return at;
}

/**
 * kzalloc that may fail: as kzalloc_words (annotated the same way), but -1 (the kernel's NULL)
 * when the words do not fit, for the model's callers that handle an allocation failure as the
 * kernel's code does. Fresh words or a given-back block by the reuse rule (this file's header);
 * the block's record names this task and `by` (a block of `n` > 0 words only).
 */
export function kzalloc_words_or_fail(t: Task, n: number, gfp: gfp_t, by: PrivSite): number {
  might_alloc(t, gfp);
  const site = privSiteId(by);
  if (Atomics.load(t.i32, t.ctl + C_NEXT_PRIV) * 2 < t.arena.geometry.privWords) {
    const at = takeFresh(t, n, site);
    return at >= 0 ? at : takeFreed(t, n, site);
  }
  const at = takeFreed(t, n, site);
  return at >= 0 ? at : takeFresh(t, n, site);
}

/** `n` never-used words from the cursor (a CAS), recorded as this task's in `site` (`n` > 0), or
 *  -1 when they do not fit. The record is written after the CAS, without a lock: the words are
 *  this task's alone until it returns them (a report racing with it may find no block:
 *  priv_blocks.ts). */
function takeFresh(t: Task, n: number, site: number): number {
  const cursor = t.ctl + C_NEXT_PRIV;
  for (let at = Atomics.load(t.i32, cursor); ;) {
    if (at + n > t.arena.geometry.privWords) return -1;
    const seen = Atomics.compareExchange(t.i32, cursor, at, at + n);
    if (seen === at) {
      if (n > 0) privRecordAlloc(t, at, n, site);
      return at;
    }
    at = seen;
  }
}

/**
 * kfree: give back the block of `n` words at `w` (the caller's last use) for a later kzalloc of
 * exactly `n` words; they are poisoned first, so any access through them until then is a
 * PRIV_USE_AFTER_FREE, and the block's record names this task and `by` (the freeing function:
 * required, as kzalloc_words's). A block already given back is a double free whatever `n` is (the
 * kernel's kfree takes no size): PRIV_DOUBLE_FREE (titled after `by`), nothing changes. A pointer
 * that is not the start of a block kzalloc gave — `w` < 0, at or past the private cursor, inside a
 * block — or, for a live block, an `n` other than its length (the model keeps `n` as the caller's
 * claim and checks it against the record) is an invalid free: PRIV_INVALID_FREE (titled after
 * `by`), nothing changes. The checks, the poisoning and the record are one step under C_FENCE_LOCK,
 * so of two racing frees of one block exactly one gives it back. Any task; takes C_FENCE_LOCK (the
 * words' users are fences). The block's first word becomes the free list's link (the allocator's
 * own word, accessed without the shadow check); its length stays in the record.
 */
export function kfree_words(t: Task, w: number, n: number, by: PrivSite): void {
  const site = privSiteId(by);
  if (w < 0 || w >= Atomics.load(t.i32, t.ctl + C_NEXT_PRIV)) {
    kasan_report_free(t, 'PRIV_INVALID_FREE', w, site);
    return;
  }
  spin_lock(t, t.ctl + C_FENCE_LOCK, 0);
  const len = privBlockLen(t, w);
  const twice = len > 0 && kasan_priv_poisoned(t, w);
  const invalid = !twice && (len === 0 || len !== n);
  if (!invalid && !twice) {
    kasan_poison_priv(t, w, n);
    Atomics.store(t.i32, privIndex(t, w), Atomics.load(t.i32, t.ctl + C_FREE_PRIV));
    Atomics.store(t.i32, t.ctl + C_FREE_PRIV, w + 1);
    privRecordFree(t, w, site);
  }
  spin_unlock(t, t.ctl + C_FENCE_LOCK);
  if (invalid) kasan_report_free(t, 'PRIV_INVALID_FREE', w, site);
  else if (twice) kasan_report_free(t, 'PRIV_DOUBLE_FREE', w, site);
}

/** A given-back block of exactly `n` words (by its record's length), unpoisoned, zeroed and
 *  recorded as this task's in `site`, or -1 when there is none (an empty list is seen without the
 *  lock: nothing was ever given back, or a racing give-back is simply missed). Taking it off the
 *  list, unpoisoning, zeroing and the record are one step under C_FENCE_LOCK: a racing kfree_words
 *  of the block (a stale pointer) sees it either freed (a double free) or live and allocated by
 *  this task (it frees it; its record and link word stay). The walk is bounded: at most one step
 *  per word below the cursor (a block has at least one), so even a list a bug made cyclic ends. */
function takeFreed(t: Task, n: number, site: number): number {
  if (Atomics.load(t.i32, t.ctl + C_FREE_PRIV) === 0) return -1;
  spin_lock(t, t.ctl + C_FENCE_LOCK, 0);
  const cursor = Atomics.load(t.i32, t.ctl + C_NEXT_PRIV);
  let link = t.ctl + C_FREE_PRIV;
  let w = freedLink(t, link, cursor);
  for (let steps = cursor; w >= 0 && privBlockLen(t, w) !== n;) {
    link = privIndex(t, w);
    w = --steps > 0 ? freedLink(t, link, cursor) : -1;
  }
  if (w >= 0) {
    Atomics.store(t.i32, link, Atomics.load(t.i32, privIndex(t, w)));
    kasan_unpoison_priv(t, w, n);
    t.i32.fill(0, privIndex(t, w), privIndex(t, w) + n);
    privRecordAlloc(t, w, n, site);
  }
  spin_unlock(t, t.ctl + C_FENCE_LOCK);
  return w;
}

/** The block a free-list link at arena index `link` names, or -1 at the end — also when the link
 *  does not name a given-back block below `cursor` (C_NEXT_PRIV, read once by the walk; it also
 *  keeps the shadow read inside the shadow), or names the block it is in (a corrupted list: taken,
 *  such a block would stay on the list while in use): the rest of the list is left unused. */
function freedLink(t: Task, link: number, cursor: number): number {
  const w = Atomics.load(t.i32, link) - 1;
  const ok = w >= 0 && w < cursor && privIndex(t, w) !== link && kasan_priv_poisoned(t, w);
  return ok ? w : -1;
}

/** Arena index of private word `w`. */
export function privIndex(t: Task, w: number): number {
  return t.arena.layout.priv + w;
}

/**
 * Private word `w` (atomic). A read through a freed word (its shadow bit set: priv_kasan.ts) is
 * reported first (PRIV_USE_AFTER_FREE, titled after the caller), then proceeds on the stale word,
 * as the kernel's read does after KASAN's report. Any task, any context.
 */
export function priv_load(t: Task, w: number): number {
  if (kasan_priv_poisoned(t, w)) kasan_report_priv(t, w, priv_load);
  return Atomics.load(t.i32, t.arena.layout.priv + w);
}

/**
 * priv_load for a helper the kernel inlines into its caller (an array's `fences[i]`): a read
 * through a freed word is reported titled after the caller of `helper`, then proceeds.
 */
export function priv_load_inlined(t: Task, w: number, helper: (...a: never[]) => unknown): number {
  if (kasan_priv_poisoned(t, w)) kasan_report_priv(t, w, helper);
  return Atomics.load(t.i32, t.arena.layout.priv + w);
}

/**
 * Store `v` in private word `w` (atomic). A write through a freed word is reported
 * (PRIV_USE_AFTER_FREE, titled after the caller) and dropped: the model keeps the allocator's
 * link words of a given-back block intact, so the trial goes on with a consistent free list.
 */
export function priv_store(t: Task, w: number, v: number): void {
  if (kasan_priv_poisoned(t, w)) { kasan_report_priv(t, w, priv_store, 'priv_store'); return; }
  Atomics.store(t.i32, t.arena.layout.priv + w, v);
}

/**
 * cmpxchg on private word `w`: the word before (it became `replacement` if it was `expected`).
 * Through a freed word: reported as priv_store's write is (titled after the caller) and dropped,
 * returning the stale word.
 */
export function priv_cmpxchg(t: Task, w: number, expected: number, replacement: number): number {
  const i = t.arena.layout.priv + w;
  if (kasan_priv_poisoned(t, w)) { kasan_report_priv(t, w, priv_cmpxchg, 'priv_store'); return Atomics.load(t.i32, i); }
  return Atomics.compareExchange(t.i32, i, expected, replacement);
}

/**
 * atomic_sub_return's old value on private word `w` (an Atomics.sub of `v`). Through a freed
 * word: reported as priv_store's write is (titled after the caller) and dropped, returning the
 * stale word.
 */
export function priv_sub(t: Task, w: number, v: number): number {
  const i = t.arena.layout.priv + w;
  if (kasan_priv_poisoned(t, w)) { kasan_report_priv(t, w, priv_sub, 'priv_store'); return Atomics.load(t.i32, i); }
  return Atomics.sub(t.i32, i, v);
}
