/**
 * The dma_resv table, at `Layout.resvs`: each record is R_SLOTS header words followed by
 * `geometry.resvSlots` fence slots (`Layout.resvWords` words a record).
 *
 * The fence list (the kernel's RCU-published `obj->fences`, a struct dma_resv_list) is written
 * only with the resv lock held and read locklessly. A record holds two list arrays, A and B, and
 * R_LIST names the published list: 0 before the first reserve, then a count that each
 * reallocation (dma_resv_reserve_fences) bumps, the list's array being the count's parity. A
 * reallocation fills the other array and then publishes it by storing R_LIST, so a lockless
 * reader still walking the superseded array reads it unchanged, as RCU keeps the old list alive
 * for it; only a second reallocation reuses that array (a reader still on it may read rewritten
 * entries: dma_fence_get_rcu refuses released fences, and the check after its walk sees another
 * list published and restarts it, so nothing of that walk reaches the caller).
 */
import { assertWordsFit } from './words_fit.js';

export const R_LOCK = 0;
/** The published list: 0 none yet; n ≥ 1 the n-th list, in array `n & 1`. Written (Atomics.store,
 *  after the array is filled) by reallocation only; read by every reader. */
export const R_LIST = 1;
/** max_fences of the published list: the kernel's rounded list capacity (dma_resv_list_max_fences),
 *  which may exceed the record's `geometry.resvSlots` slots; num_fences never does. Lock held. */
export const R_MAX = 2;
export const R_FLAGS = 3;
/** num_fences of list array p at R_NUM + p: appends store it after the slot (smp_store_mb),
 *  lockless readers snapshot it when they (re)start. */
export const R_NUM = 4;
/** List arrays in a record. */
export const RESV_LISTS = 2;
export const R_SLOTS = 6;
assertWordsFit('R_NUM + RESV_LISTS', R_NUM, RESV_LISTS, R_SLOTS, 'raise R_SLOTS');
/** Per slot, one entry word for each list array: array p's entry i is at
 *  R_SLOTS + i × SLOT_WORDS + p. An entry is a fence handle and its usage packed into one word
 *  (resvEntry), as the kernel packs the usage into a table pointer's low bits, so a lockless
 *  reader never sees one write's fence with another's usage. */
export const SLOT_WORDS = RESV_LISTS;
export const RESVF_LIVE = 1;

/** Bits of an entry that hold the usage (the kernel's DMA_RESV_LIST_MASK). */
const ENTRY_USAGE_BITS = 2;
const ENTRY_USAGE_MASK = (1 << ENTRY_USAGE_BITS) - 1;

/** The entry word of `fence` (a handle, HANDLE_BITS wide) with `usage` (0..3). */
export function resvEntry(fence: number, usage: number): number {
  return (fence << ENTRY_USAGE_BITS) | usage;
}
/** The fence handle of an entry word. */
export function entryFence(entry: number): number {
  return entry >>> ENTRY_USAGE_BITS;
}
/** The usage of an entry word. */
export function entryUsage(entry: number): number {
  return entry & ENTRY_USAGE_MASK;
}
