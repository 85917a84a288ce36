/**
 * Reading a dma_resv's fences: the locked iterator, and the lockless readers (get_fences,
 * test_signaled, wait_timeout), which need no lock and walk the published list with the unlocked
 * iterator (dma_resv_iter.ts): each slot read live, restarting when a reallocation published
 * another list. get_fences and test_signaled walk in one step; wait_timeout sleeps on each fence
 * it finds and has a scheduling point between slot reads, so writers run while it walks.
 *
 * Usage rule: a query with usage U sees every fence stored with usage <= U.
 *
 * On a finished object (dma_resv_fini) each reader is a use of freed memory — the kernel's
 * iterator reads `obj->fences`, the list dma_resv_list_free released — reported as
 * RESV_USE_AFTER_FINI titled after the reader (dma_resv_lock.ts resv_live), which then sees no
 * fences: the locked iterator calls nothing, get_fences returns none, test_signaled is true and
 * wait_timeout returns at once as for an empty list.
 */
import { ENOMEM } from '../errno/errno.js';
import { QUIRK_RESV_WAIT_ZERO_SLEEPS, packOp } from '../shm/layout.js';
import { OP_RESV_WAIT } from '../trace/ops.js';
import { dma_fence_array_create } from './dma_fence_array.js';
import { NULL_FENCE, dma_fence_context_alloc } from './dma_fence_init.js';
import { dma_fence_get, dma_fence_put } from './dma_fence_ref.js';
import { dma_fence_is_signaled } from './dma_fence_signal.js';
import { dma_fence_wait_at } from './dma_fence_wait.js';
import { WS_DMA_RESV_WAIT_TIMEOUT } from './wait_site.js';
import type { DmaResvUsage } from './dma_resv.js';
import {
  dma_resv_iter_begin, dma_resv_iter_end, dma_resv_iter_first_preemptible, dma_resv_iter_first_unlocked,
  dma_resv_iter_next_preemptible, dma_resv_iter_next_unlocked,
} from './dma_resv_iter.js';
import { entry_fence, entry_usage, list_entry, list_num, resv_list } from './dma_resv_list.js';
import { resv_enter_locked, resv_live } from './dma_resv_lock.js';
import { GFP_KERNEL } from './gfp.js';
import { kmalloc_size_roundup } from './kmalloc.js';
import { might_alloc } from './lockdep_map.js';
import { kernel_quirk } from './quirks.js';
import type { Task } from './task.js';
import type { Fence, KGen, Resv } from './types.js';

/**
 * dma_resv_for_each_fence (locked): call `fn(fence, usage)` for every slot with usage <= `usage`,
 * signaled fences included, in list order. Lock required. No references are taken.
 */
export function dma_resv_for_each_fence(t: Task, obj: Resv, usage: DmaResvUsage, fn: (f: Fence, usage: DmaResvUsage) => void): void {
  if (!resv_enter_locked(t, obj, 'dma_resv_for_each_fence')) return;
  const r = t.arena.resv(obj);
  const list = resv_list(t, r);
  const n = list_num(t, r, list);
  for (let i = 0; i < n; i++) {
    const e = list_entry(t, r, list, i);
    if (entry_usage(e) <= usage) fn(entry_fence(e), entry_usage(e));
  }
}

/**
 * dma_resv_get_fences: the unsignaled fences with usage <= `usage`, each with a reference the
 * caller must put; a restart of the walk drops what was gathered and starts over. No lock needed.
 * The array is the kernel's krealloc_array(GFP_KERNEL) of num_fences + 1 pointers at the first
 * fence of each (re)started walk (fencesRealloc): a walk that finds no fence allocates nothing, a
 * walk that finds one allocates — might_alloc, so under a spinlock, in hardirq context or with
 * interrupts off SLEEP_IN_ATOMIC titled after might_alloc —, and a restart allocates again only
 * when the larger list outgrows the slab object it has. Returns the array, or -ENOMEM when more
 * than `max` are found (a stand-in for the allocation failing), having put them.
 * Context: may sleep (the allocation); takes no lock, no scheduling point.
 */
export function dma_resv_get_fences(t: Task, obj: Resv, usage: DmaResvUsage, max = 64): Fence[] | number {
  if (!resv_live(t, obj, 'dma_resv_get_fences')) return [];
  const c = dma_resv_iter_begin(t, obj, usage, 'dma_resv_get_fences');
  let out: Fence[] = [];
  let size = 0;
  for (let f = dma_resv_iter_first_unlocked(t, c); f !== undefined; f = dma_resv_iter_next_unlocked(t, c)) {
    if (c.restarted) {
      out = putAll(t, out);
      size = fencesRealloc(t, size, c.num + 1);
    }
    if (out.length === max) {
      putAll(t, out);
      dma_resv_iter_end(t, c);
      return -ENOMEM;
    }
    out.push(dma_fence_get(t, f));
  }
  dma_resv_iter_end(t, c);
  return out;
}

/** A fence pointer's bytes (x86_64). */
const POINTER_BYTES = 8;

/**
 * krealloc_array(*fences, count, sizeof(void *), GFP_KERNEL) of an array whose slab object holds
 * `size` bytes (0: none yet, *fences NULL): krealloc returns the old object when the new size
 * fits it (no allocation, no annotation), else kmallocs (might_alloc). Returns the object's size
 * afterwards (kmalloc_size_roundup of the new size when it allocated).
 */
export function fencesRealloc(t: Task, size: number, count: number): number {
  const bytes = count * POINTER_BYTES;
  if (size !== 0 && bytes <= size) return size;
  might_alloc(t, GFP_KERNEL);
  return kmalloc_size_roundup(bytes);
}

/**
 * dma_resv_get_singleton: one fence for the unsignaled fences with usage <= `usage`, in
 * `*fence` with a reference — NULL_FENCE for none, the fence itself for one, else a new
 * dma_fence_array of them (own context, seqno 1; their references move into it), whose
 * kzalloc(GFP_KERNEL) is a might_alloc after get_fences' (dma_fence_array.ts). No lock needed.
 * 0, or -ENOMEM when dma_resv_get_fences fails (the fences put, `*fence` untouched). The kernel's
 * second -ENOMEM, a failed dma_fence_array_create (the fences put), has no branch here: the
 * model's dma_fence_array_create never fails — it has no allocation fault injection, and an
 * arena too small for the array throws ERR_ARENA_GEOMETRY, a harness limit no caller handles.
 */
export function dma_resv_get_singleton(t: Task, obj: Resv, usage: DmaResvUsage, fence: { f: Fence }): number {
  const fences = dma_resv_get_fences(t, obj, usage);
  if (typeof fences === 'number') return fences;
  fence.f = fences.length <= 1
    ? fences[0] ?? NULL_FENCE
    : dma_fence_array_create(t, fences.length, fences, dma_fence_context_alloc(t, 1), 1, false);
  return 0;
}

/** Put every fence of `fences`; an empty array. */
function putAll(t: Task, fences: readonly Fence[]): Fence[] {
  for (const f of fences) dma_fence_put(t, f);
  return [];
}

/** dma_resv_test_signaled: no unsignaled fence with usage <= `usage`. No lock needed. */
export function dma_resv_test_signaled(t: Task, obj: Resv, usage: DmaResvUsage): boolean {
  if (!resv_live(t, obj, 'dma_resv_test_signaled')) return true;
  const c = dma_resv_iter_begin(t, obj, usage, 'dma_resv_test_signaled');
  const f = dma_resv_iter_first_unlocked(t, c);
  dma_resv_iter_end(t, c);
  return f === undefined;
}

/**
 * dma_resv_wait_timeout: wait for every unsignaled fence with usage <= `usage`, walking the live
 * list (dma_resv_for_each_fence_unlocked), the remaining budget carrying over from fence to fence.
 * A fence appended while it waits is waited for only when a reallocation restarted the walk; a
 * restart waits again from slot 0 (already signaled fences are skipped). No lock needed (holding
 * it is allowed). Process context; sleeps — except for timeout 0, which only tests the fences.
 * Returns > 0 when all signaled (remaining jiffies; 1 for timeout 0), 0 on timeout (immediately
 * for timeout 0 with an unsignaled fence), -ERESTARTSYS when `intr` and a signal is pending.
 * With the trial's QUIRK_RESV_WAIT_ZERO_SLEEPS (before 2b95a7db6e0f, S12) timeout 0 starts from a
 * budget of one jiffy (`ret = timeout ? timeout : 1`) and waits each fence with what is left:
 * a wait about to sleep on an unsignaled fence is reported (RESV_WAIT_ZERO_SLEEPS).
 */
export function* dma_resv_wait_timeout(t: Task, obj: Resv, usage: DmaResvUsage, intr: boolean, timeout: number): KGen<number> {
  yield packOp(OP_RESV_WAIT, obj);
  let ret = timeout === 0 ? 1 : timeout;
  if (!resv_live(t, obj, 'dma_resv_wait_timeout')) return ret;
  let budget = timeout === 0 && kernel_quirk(t, QUIRK_RESV_WAIT_ZERO_SLEEPS) ? 1 : timeout;
  const c = dma_resv_iter_begin(t, obj, usage, 'dma_resv_wait_timeout');
  for (let f = yield* dma_resv_iter_first_preemptible(t, c); f !== undefined; f = yield* dma_resv_iter_next_preemptible(t, c)) {
    if (timeout === 0 && budget > 0 && !dma_fence_is_signaled(t, f)) t.warn('RESV_WAIT_ZERO_SLEEPS', obj);
    ret = yield* dma_fence_wait_at(t, f, intr, budget, WS_DMA_RESV_WAIT_TIMEOUT);
    if (ret <= 0) break;
    if (budget !== 0) budget = ret;
  }
  dma_resv_iter_end(t, c);
  return ret;
}
