/**
 * KASAN for the private words (kernel/priv.ts): the shadow bitmap (shm/layout/priv_shadow.ts)
 * marks the words of every block kfree_words gave back (poisoned) until a kzalloc reuses the block
 * (unpoisoned). An access through a poisoned word is the kernel's "BUG: KASAN: slab-use-after-free
 * in <fn>" (PRIV_USE_AFTER_FREE), a kfree of a poisoned block its "double-free"
 * (PRIV_DOUBLE_FREE); both are titled after the model function that made the access or the free,
 * as KASAN names the function of the faulting instruction (or kfree's caller: the freeing function
 * kfree_words is given, the site its record names too). Each report's aux
 * words are the block's record (priv_record.ts privBlockAux: who allocated and who freed it, in
 * which function — KASAN's "Allocated by / Freed by"; all zero for words in no block), read when
 * reporting only.
 *
 * Any task, any context (a fence callback under the fence lock too): the shadow is shared by all
 * actors (written with Atomics, checked with a plain read); checking never sleeps and is no
 * scheduling point.
 */
import { C_NEXT_PRIV, PRIV_SHADOW_BITS, PRIV_SHADOW_SHIFT } from '../shm/layout.js';
import { privBlockAux, privBlockOf } from './priv_record.js';
import type { Task } from './task.js';
import { siteId } from './warn.js';

/** Mark the `n` words at private word `w` freed. Precondition: the caller owns the block (its
 *  last user: kfree_words, under C_FENCE_LOCK). */
export function kasan_poison_priv(t: Task, w: number, n: number): void {
  setBits(t, w, n, true);
}

/** Mark the `n` words at `w` allocated again (a kzalloc reusing a given-back block, its only
 *  owner). */
export function kasan_unpoison_priv(t: Task, w: number, n: number): void {
  setBits(t, w, n, false);
}

/** Private word `w` is freed (its shadow bit is set): the one shadow test (its readers:
 *  shm/layout/priv_shadow.ts). A plain read, small enough for V8 to inline into the hot
 *  accessors. */
export function kasan_priv_poisoned(t: Task, w: number): boolean {
  const word = t.i32[t.arena.layout.privShadow + (w >>> PRIV_SHADOW_SHIFT)]!;
  return ((word >>> (w & (PRIV_SHADOW_BITS - 1))) & 1) !== 0;
}

/**
 * kasan_check_read/write for a direct access (Atomics through privIndex) to private word `w`:
 * false, after reporting PRIV_USE_AFTER_FREE titled after this function's caller, when the word
 * is freed; the caller then leaves the word alone (a write into a given-back block would corrupt
 * the allocator's link words). True when the access may go ahead.
 */
export function kasan_check_priv(t: Task, w: number): boolean {
  if (!kasan_priv_poisoned(t, w)) return true;
  kasan_report_priv(t, w, kasan_check_priv);
  return false;
}

/** Report PRIV_USE_AFTER_FREE on private word `w`, titled after the caller of `accessor` (the
 *  model function that made the access); `fallback` when that caller has no name (priv_load for
 *  a read, priv_store for a write). */
export function kasan_report_priv(
  t: Task, w: number, accessor: (...a: never[]) => unknown, fallback: 'priv_load' | 'priv_store' = 'priv_load',
): void {
  t.warn('PRIV_USE_AFTER_FREE', w, siteId(callerOf(accessor, fallback)), blockAux(t, w));
}

/** Report a bad kfree of words `w`: PRIV_DOUBLE_FREE (a block already given back) or
 *  PRIV_INVALID_FREE (no block kzalloc gave), titled after `site` (kfree's caller: the freeing
 *  function's site id, priv_record.ts privSiteId; one that names no function titles it kfree). */
export function kasan_report_free(t: Task, name: 'PRIV_DOUBLE_FREE' | 'PRIV_INVALID_FREE', w: number, site: number): void {
  t.warn(name, w, site, blockAux(t, w));
}

/** The record of the block that holds private word `w` as a report's aux words (zero: none). */
function blockAux(t: Task, w: number): readonly number[] {
  return privBlockAux(t, privBlockOf(t, w, Atomics.load(t.i32, t.ctl + C_NEXT_PRIV)));
}

/** The name of the function that called `fn` (the first frame above it), or `fallback` for an
 *  anonymous one. Slow (a stack capture): only on a report. Independent of the environment's
 *  Error.stackTraceLimit and Error.prepareStackTrace (both set for the capture, then restored):
 *  the frame is read as a CallSite, never parsed from stack text. */
function callerOf(fn: (...a: never[]) => unknown, fallback: string): string {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  try {
    Error.stackTraceLimit = 1;
    Error.prepareStackTrace = (_e, frames): NodeJS.CallSite[] => frames;
    const o: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(o, fn);
    return o.stack?.[0]?.getFunctionName() ?? fallback;
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
}

/** Set (or clear) the shadow bits of words w .. w + n - 1, one Atomics op per shadow word. */
function setBits(t: Task, w: number, n: number, poison: boolean): void {
  const base = t.arena.layout.privShadow;
  for (let at = w; at < w + n;) {
    const bit = at & (PRIV_SHADOW_BITS - 1);
    const take = Math.min(PRIV_SHADOW_BITS - bit, w + n - at);
    const mask = (take === PRIV_SHADOW_BITS ? -1 : ((1 << take) - 1) << bit) | 0;
    if (poison) Atomics.or(t.i32, base + (at >>> PRIV_SHADOW_SHIFT), mask);
    else Atomics.and(t.i32, base + (at >>> PRIV_SHADOW_SHIFT), ~mask);
    at += take;
  }
}
