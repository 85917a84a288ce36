/**
 * A dma_resv's fence list (drivers/dma-buf/dma-resv.c struct dma_resv_list): which list is
 * published (`obj->fences`), its num_fences, and its entries — a fence with its usage in one word
 * (dma_resv_list_entry / dma_resv_list_set). The arena record holds two list arrays; see
 * shm/layout/resvs.ts for how a reallocation fills the other one and publishes it.
 *
 * A list is named by its identity (R_LIST's value when it was published; 0: no list). Writers
 * hold the resv lock and use the published list; lockless readers (dma_resv_iter.ts) keep the
 * identity they started on and read that list's array, which stays as it was until the next
 * reallocation but one.
 */
import { R_LIST, R_NUM, R_SLOTS, SLOT_WORDS, entryFence, entryUsage, resvEntry } from '../shm/layout.js';
import type { DmaResvUsage } from './dma_resv.js';
import type { Task } from './task.js';
import type { Fence } from './types.js';

/** The published list of the record at `r` (dma_resv_fences_list): 0 before the first reserve. */
export function resv_list(t: Task, r: number): number {
  return Atomics.load(t.i32, r + R_LIST);
}

/** num_fences of list `list` of the record at `r`. Any task; a reader's snapshot. */
export function list_num(t: Task, r: number, list: number): number {
  return Atomics.load(t.i32, r + R_NUM + (list & 1));
}

/** Set num_fences of list `list` (lock held; stored after the entries it covers, smp_store_mb). */
export function list_set_num(t: Task, r: number, list: number, n: number): void {
  Atomics.store(t.i32, r + R_NUM + (list & 1), n);
}

/** The entry word at `index` of list `list` (resvEntry: fence and usage read together; an
 *  atomic load, the kernel's rcu_dereference of the slot: lockless readers race writers). */
export function list_entry(t: Task, r: number, list: number, index: number): number {
  return Atomics.load(t.i32, r + R_SLOTS + index * SLOT_WORDS + (list & 1));
}

/** The fence of an entry word. */
export function entry_fence(entry: number): Fence {
  return entryFence(entry) as Fence;
}

/** The usage of an entry word. */
export function entry_usage(entry: number): DmaResvUsage {
  return entryUsage(entry) as DmaResvUsage;
}

/** dma_resv_list_set: store `fence` with `usage` at `index` of list `list` (lock held, or a list
 *  not yet published). One word: a reader sees the old entry or the new one, never a mix. */
export function list_set(t: Task, r: number, list: number, index: number, fence: Fence, usage: DmaResvUsage): void {
  Atomics.store(t.i32, r + R_SLOTS + index * SLOT_WORDS + (list & 1), resvEntry(fence, usage));
}

/** rcu_assign_pointer(obj->fences, list): publish `list`, filled before this store. Lock held. */
export function list_publish(t: Task, r: number, list: number): void {
  Atomics.store(t.i32, r + R_LIST, list);
}
