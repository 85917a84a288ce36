/**
 * The allocator's per-block records of the private words (kernel/priv.ts; their words:
 * shm/layout/priv_blocks.ts): each block's length, who allocated it and who gave it back, in
 * which function — KASAN's "Allocated by task N: … Freed by task M: …". kfree_words checks a
 * pointer and its length against the record; the KASAN reports (priv_kasan.ts) carry the record
 * as their aux words. Never read on an access (priv_load, priv_store …): only by kzalloc,
 * kfree_words and a report. Any task, any context; never sleeps.
 */
import { PB_ALLOC_BY, PB_ALLOC_SITE, PB_FREE_BY, PB_FREE_SITE, PB_LEN, PRIV_BLOCK_WORDS } from '../shm/layout.js';
import type { Task } from './task.js';
import { siteId } from './warn.js';

/** Where private words are allocated or freed, the record's site: the model function standing
 *  for the kernel's (its `name`; preferred — tsc checks it and it follows a rename), or a site
 *  name for a caller that is no model function (a scenario's setup, a test). */
export type PrivSite = ((...a: never[]) => unknown) | string;

/** Site ids by function or name, so a kzalloc hashes its site's name once per thread. */
const SITES = new Map<PrivSite, number>();

/** The site id of `by` (an anonymous function's, or '', names no function in a report). */
export function privSiteId(by: PrivSite): number {
  let id = SITES.get(by);
  if (id === undefined) SITES.set(by, id = siteId(typeof by === 'string' ? by : by.name));
  return id;
}

/** Arena index of the record of the block starting at private word `w`. */
function row(t: Task, w: number): number {
  return t.arena.layout.privBlocks + w * PRIV_BLOCK_WORDS;
}

/** Record that this task allocated the `n` words at `w` in site `site`, clearing the last free.
 *  Preconditions: kzalloc, before it returns the block — a fresh one after its cursor CAS (no other
 *  task knows its words), a given-back one under C_FENCE_LOCK as it takes it off the free list (a
 *  racing kfree_words waits for the lock, then finds it live); `w + n` is at or below the private
 *  cursor (the reset contract: priv_blocks.ts); `n` > 0. */
export function privRecordAlloc(t: Task, w: number, n: number, site: number): void {
  const r = row(t, w);
  Atomics.store(t.i32, r + PB_LEN, n);
  Atomics.store(t.i32, r + PB_ALLOC_BY, t.id + 1);
  Atomics.store(t.i32, r + PB_ALLOC_SITE, site);
  Atomics.store(t.i32, r + PB_FREE_BY, 0);
  Atomics.store(t.i32, r + PB_FREE_SITE, 0);
}

/** Record that this task gave back the block at `w` in site `site`. Precondition: kfree_words,
 *  under C_FENCE_LOCK, after its checks found `w` the start of a live block. */
export function privRecordFree(t: Task, w: number, site: number): void {
  const r = row(t, w);
  Atomics.store(t.i32, r + PB_FREE_BY, t.id + 1);
  Atomics.store(t.i32, r + PB_FREE_SITE, site);
}

/** The length of the block starting at private word `w` (0 <= w < the cursor), 0 when none does
 *  (an interior word of a block, or a word never taken). */
export function privBlockLen(t: Task, w: number): number {
  return Atomics.load(t.i32, row(t, w) + PB_LEN);
}

/** The start of the block that holds private word `w`, -1 when none below `cursor` does (a report
 *  only: a walk down to the nearest record, at most `w` rows). Every word below the cursor is in a
 *  block except under stress: another task's kzalloc between its cursor CAS and its record. */
export function privBlockOf(t: Task, w: number, cursor: number): number {
  if (w < 0 || w >= cursor) return -1;
  for (let at = w; at >= 0; at--) {
    const len = privBlockLen(t, at);
    if (len > 0) return at + len > w ? at : -1;
  }
  return -1;
}

/** A KASAN report's aux words (the block record it carries), by index: written by privBlockAux,
 *  read back by exec/report.ts slabRecordOf. */
export const SLAB_AUX = { ALLOC_BY: 0, ALLOC_SITE: 1, FREE_BY: 2, FREE_SITE: 3, WORDS: 4 } as const;

/** A KASAN report's aux words for the block starting at `start` (-1: none, all zero): the
 *  allocating actor + 1 and its site id, the freeing actor + 1 and its site id (SLAB_AUX). */
export function privBlockAux(t: Task, start: number): readonly number[] {
  const aux = new Array<number>(SLAB_AUX.WORDS).fill(0);
  if (start < 0) return aux;
  const r = row(t, start);
  aux[SLAB_AUX.ALLOC_BY] = Atomics.load(t.i32, r + PB_ALLOC_BY);
  aux[SLAB_AUX.ALLOC_SITE] = Atomics.load(t.i32, r + PB_ALLOC_SITE);
  aux[SLAB_AUX.FREE_BY] = Atomics.load(t.i32, r + PB_FREE_BY);
  aux[SLAB_AUX.FREE_SITE] = Atomics.load(t.i32, r + PB_FREE_SITE);
  return aux;
}
