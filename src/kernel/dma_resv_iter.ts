/**
 * The unlocked dma_resv iterator (drivers/dma-buf/dma-resv.c dma_resv_iter_first_unlocked /
 * dma_resv_iter_next_unlocked; include/linux/dma-resv.h dma_resv_iter_begin / _end): how the
 * lockless readers walk the published fence list. No lock needed; any task.
 *
 * As the kernel's (which has no seqcount: a reader restarts only when `obj->fences` points at
 * another list, or when a fence's reference cannot be taken):
 * - (re)start: index 0, the published list's identity and a snapshot of its num_fences, and
 *   is_restarted set;
 * - walk: each slot is read live — a slot replaced in place before the walk reaches it shows the
 *   new fence, one replaced after it passed does not, and a fence appended after the snapshot is
 *   not seen — and its fence referenced with dma_fence_get_rcu; a fence already released restarts
 *   the walk; signaled fences and usages above the cursor's are skipped;
 * - first / next: restart when the published list is not the cursor's (a reallocation), before
 *   walking (next) and after it (the walk is redone), so a fence is returned only from the list
 *   published when its walk ended — a sleeping reader that meets a reallocation starts over at
 *   slot 0 of the new list and sees what was appended to it.
 * The model's record has two list arrays (shm/layout/resvs.ts), so a walk can read its array while
 * a second reallocation rewrites it, where the kernel's RCU keeps the old list whole: every entry
 * read is still a handle that was a fence, dma_fence_get_rcu refuses a released one, and the check
 * after the walk restarts it on the new list, so nothing of such a walk reaches the caller.
 *
 * Scheduling points: the synchronous calls walk in one step (in the inline and controlled
 * executors nothing runs between their slot reads; under stress writers run alongside). The
 * preemptible ones, for readers that sleep anyway (dma_resv_wait_timeout), yield OP_RESV_READ
 * before each slot read after the first of a call, where a preempted kernel reader lets a writer
 * in — until the call restarts mid-way: the rest of that call walks in one step, so a reader that
 * keeps restarting costs one step a call and reaches the soft-lockup report below, not the
 * executor's step limit.
 *
 * References: the cursor holds one on its current fence; the next step or dma_resv_iter_end
 * drops it. A call that restarts READ_RETRIES times (a fence released while still in the list —
 * a refcount bug — restarts every walk, in the kernel too) is reported as a soft lockup:
 * SOFT_LOCKUP on the resv, titled after the reader (throws KernelOops).
 *
 * A first or next call on a finished object (dma_resv_fini) reads the list fini freed: reported
 * as RESV_USE_AFTER_FINI titled after the cursor's reader (dma_resv_lock.ts resv_live), once per
 * call, not per slot; the call drops the cursor's current fence and returns undefined, as at the
 * end of a walk.
 */
import { packOp } from '../shm/layout.js';
import { OP_RESV_READ } from '../trace/ops.js';
import { fence_stale } from './dma_fence_alloc.js';
import { dma_fence_get_rcu, dma_fence_put } from './dma_fence_ref.js';
import { dma_fence_is_signaled_rcu } from './dma_fence_signal.js';
import type { DmaResvUsage } from './dma_resv.js';
import { entry_fence, entry_usage, list_entry, list_num, resv_list } from './dma_resv_list.js';
import { resv_live } from './dma_resv_lock.js';
import type { Task } from './task.js';
import type { Fence, KGen, Resv } from './types.js';
import { siteId } from './warn.js';

/** struct dma_resv_iter. */
export interface DmaResvIter {
  readonly obj: Resv;
  /** The arena record of `obj`. */
  readonly r: number;
  readonly usage: DmaResvUsage;
  /** The reader, named in a soft-lockup report. */
  readonly fn: string;
  /** cursor->fences: the identity of the list walked (0: none). */
  list: number;
  index: number;
  /** num_fences of `list` when the walk (re)started. */
  num: number;
  /** The current fence, referenced; undefined when there is none. */
  fence: Fence | undefined;
  fenceUsage: DmaResvUsage;
  /** dma_resv_iter_is_restarted: the current fence is the first since a (re)start. */
  restarted: boolean;
  /** Restarts in the current call. */
  restarts: number;
}

/** Restarts in one call before the reader is reported as spinning. */
const READ_RETRIES = 1 << 20;

const WALK_FOUND = 0;
const WALK_END = 1;
const WALK_MORE = 2;

/**
 * dma_resv_iter_begin: a cursor over `obj`'s fences with usage <= `usage`, for reader `fn` (the
 * name a soft-lockup report of its walk is titled after; a module's own loop gets
 * dma_resv_iter_next_unlocked's). No lock, any task; reads nothing yet. The caller ends it with
 * dma_resv_iter_end, which drops the reference on the current fence.
 */
export function dma_resv_iter_begin(t: Task, obj: Resv, usage: DmaResvUsage, fn = 'dma_resv_iter_next_unlocked'): DmaResvIter {
  return {
    obj, r: t.arena.resv(obj), usage, fn, list: 0, index: 0, num: 0, fence: undefined, fenceUsage: 0, restarted: false, restarts: 0,
  };
}

/** dma_resv_iter_end: drop the cursor's reference on its current fence. */
export function dma_resv_iter_end(t: Task, c: DmaResvIter): void {
  if (c.fence !== undefined) dma_fence_put(t, c.fence);
  c.fence = undefined;
}

/**
 * dma_resv_iter_is_restarted: whether the fence the last first / next call returned is the first
 * of a (re)started walk — a caller that accumulates what it saw (dma_resv_get_fences) drops it
 * and starts over when true. False before any call.
 */
export function dma_resv_iter_is_restarted(_t: Task, c: DmaResvIter): boolean {
  return c.restarted;
}

/** dma_resv_iter_usage: the usage of the slot the current fence was read from. */
export function dma_resv_iter_usage(_t: Task, c: DmaResvIter): DmaResvUsage {
  return c.fenceUsage;
}

/**
 * dma_resv_iter_first_unlocked, in one step: the first unsignaled fence (referenced by the
 * cursor until the next call or dma_resv_iter_end; dma_fence_get to keep it), or undefined.
 * dma_resv_for_each_fence_unlocked is first, then next until undefined; a reallocation between
 * calls restarts the walk (dma_resv_iter_is_restarted), a slot replaced in place ahead of the
 * cursor is seen, one behind it is not.
 */
export function dma_resv_iter_first_unlocked(t: Task, c: DmaResvIter): Fence | undefined {
  return iterate(t, c, true);
}

/** dma_resv_iter_next_unlocked, in one step: the next unsignaled fence (referenced as by first), or
 *  undefined. */
export function dma_resv_iter_next_unlocked(t: Task, c: DmaResvIter): Fence | undefined {
  return iterate(t, c, false);
}

/** dma_resv_iter_first_unlocked with a scheduling point between slot reads (process context). */
export function dma_resv_iter_first_preemptible(t: Task, c: DmaResvIter): KGen<Fence | undefined> {
  return iteratePreemptible(t, c, true);
}

/** dma_resv_iter_next_unlocked with a scheduling point between slot reads (process context). */
export function dma_resv_iter_next_preemptible(t: Task, c: DmaResvIter): KGen<Fence | undefined> {
  return iteratePreemptible(t, c, false);
}

/**
 * first (`first`: a forced restart) or next: walk to the next unsignaled fence with a matching
 * usage, and walk again from a restart while the published list is another than the one walked.
 */
function iterate(t: Task, c: DmaResvIter, first: boolean): Fence | undefined {
  if (!callLive(t, c)) return undefined;
  for (let restart = callStart(t, c, first); ; restart = true) {
    if (restart) restartWalk(t, c);
    while (walkStep(t, c) === WALK_MORE);
    if (resv_list(t, c.r) === c.list) return c.fence;
  }
}

/** iterate, yielding OP_RESV_READ before each slot read but the call's first, until it restarts
 *  mid-call. */
function* iteratePreemptible(t: Task, c: DmaResvIter, first: boolean): KGen<Fence | undefined> {
  if (!callLive(t, c)) return undefined;
  let reads = 0;
  let walk = -1;
  for (let restart = callStart(t, c, first); ; restart = true) {
    if (restart) restartWalk(t, c);
    if (walk < 0) walk = c.restarts;
    for (;;) {
      if (reads++ > 0 && c.index < c.num && c.restarts === walk) yield packOp(OP_RESV_READ, c.obj);
      if (walkStep(t, c) !== WALK_MORE) break;
    }
    if (resv_list(t, c.r) === c.list) return c.fence;
  }
}

/**
 * A first or next call on `c` may walk: true while its object is live; else, after the use after
 * fini is reported (titled after `c.fn`), the cursor's current fence dropped and false.
 */
function callLive(t: Task, c: DmaResvIter): boolean {
  if (resv_live(t, c.obj, c.fn)) return true;
  dma_resv_iter_end(t, c);
  c.restarted = false;
  return false;
}

/** A first or next call begins: whether its walk restarts before it reads (first, or another
 *  list). */
function callStart(t: Task, c: DmaResvIter, first: boolean): boolean {
  c.restarted = false;
  c.restarts = 0;
  return first || resv_list(t, c.r) !== c.list;
}

/** dma_resv_iter_restart_unlocked: index 0 of the published list, its num_fences snapshot. */
function restartWalk(t: Task, c: DmaResvIter): void {
  if (++c.restarts > READ_RETRIES) t.bug('SOFT_LOCKUP', c.obj, siteId(c.fn));
  c.list = resv_list(t, c.r);
  c.num = c.list === 0 ? 0 : list_num(t, c.r, c.list);
  c.index = 0;
  c.restarted = true;
}

/**
 * One round of dma_resv_iter_walk_unlocked: drop the previous fence; past the snapshot, END;
 * else read the next slot: FOUND with a reference on an unsignaled fence of a matching usage;
 * MORE when the slot is skipped, or when the walk restarted — its fence was released (the
 * kernel's dma_fence_get_rcu fails). The kernel references a
 * skipped slot's fence too and drops it at the next round; the model reads a skipped fence's
 * SIGNALED flag without one (dma_fence_is_signaled_rcu), which no other task can tell apart.
 */
function walkStep(t: Task, c: DmaResvIter): number {
  if (c.fence !== undefined) dma_fence_put(t, c.fence);
  c.fence = undefined;
  if (c.index >= c.num) return WALK_END;
  const e = list_entry(t, c.r, c.list, c.index++);
  const f = entry_fence(e);
  if (fence_stale(t, f)) { restartWalk(t, c); return WALK_MORE; }
  if (entry_usage(e) > c.usage || dma_fence_is_signaled_rcu(t, f)) return WALK_MORE;
  if (!dma_fence_get_rcu(t, f)) { restartWalk(t, c); return WALK_MORE; }
  c.fence = f;
  c.fenceUsage = entry_usage(e);
  return WALK_FOUND;
}
