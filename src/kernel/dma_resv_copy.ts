/**
 * dma_resv_copy_fences (drivers/dma-buf/dma-resv.c): make `dst`'s fence list a copy of `src`'s
 * unsignaled fences, usages kept — how a driver gives a new buffer object the implicit sync state
 * of the one it replaces (a TTM move's ghost object).
 */
import { R_MAX } from '../shm/layout.js';
import { dma_fence_get, dma_fence_put } from './dma_fence_ref.js';
import { dma_resv_list_max_fences, DMA_RESV_USAGE_BOOKKEEP, type DmaResvUsage } from './dma_resv.js';
import { dma_resv_iter_begin, dma_resv_iter_end, dma_resv_iter_first_unlocked, dma_resv_iter_next_unlocked } from './dma_resv_iter.js';
import { entry_fence, list_entry, list_num, list_publish, list_set, list_set_num, resv_list } from './dma_resv_list.js';
import { resv_enter_locked, resv_live } from './dma_resv_lock.js';
import { GFP_KERNEL } from './gfp.js';
import { might_alloc } from './lockdep_map.js';
import type { Task } from './task.js';
import type { Fence, Resv } from './types.js';

/** The copy being built: src's fences with references, their usages, and src's num_fences at the
 *  (re)start. */
interface Copy { fences: Fence[]; usages: DmaResvUsage[]; num: number }

/**
 * dma_resv_copy_fences: replace `dst`'s fences by `src`'s unsignaled ones (every usage,
 * BOOKKEEP included), each with a reference and its usage, in src's order; `dst`'s old fences are
 * put. `src` is read locklessly (dma_resv_for_each_fence_unlocked: a restart drops what was
 * gathered and starts over); the new list is published in one store, so a lockless reader of
 * `dst` sees the old list or the new one. A `src` without unsignaled fences leaves `dst` with no
 * fences. Locking: `dst`'s lock held (dma_resv_assert_held:
 * RESV_NOT_HELD titled after dma_resv_copy_fences, and the copy goes on); `src`'s need not be.
 * The list allocation is GFP_KERNEL (might_alloc, once per (re)start). Returns 0: the kernel's
 * -ENOMEM (dma_resv_list_alloc failing) is not modelled — the model has no allocation-failure
 * knob, and src's list fits the record's other array by construction. A finished `dst` or `src`
 * is reported (RESV_USE_AFTER_FINI titled after the call) and nothing copied (0).
 * Context: process context; never sleeps beyond the allocation.
 */
export function dma_resv_copy_fences(t: Task, dst: Resv, src: Resv): number {
  dma_resv_copy_fences_counted(t, dst, src);
  return 0;
}

/**
 * dma_resv_copy_fences, returning how many times the walk of `src` restarted after it had
 * gathered a fence (a writer published a new list of src mid-copy: what was gathered is put and
 * the copy starts over) — the count a stress test shows the restart path with. The copy never
 * yields, so only a writer on another thread (the stress executor) can make it restart.
 */
export function dma_resv_copy_fences_counted(t: Task, dst: Resv, src: Resv): number {
  if (!resv_enter_locked(t, dst, 'dma_resv_copy_fences') || !resv_live(t, src, 'dma_resv_copy_fences')) return 0;
  const copy: Copy = { fences: [], usages: [], num: 0 };
  let restarts = 0;
  const c = dma_resv_iter_begin(t, src, DMA_RESV_USAGE_BOOKKEEP, 'dma_resv_copy_fences');
  for (let f = dma_resv_iter_first_unlocked(t, c); f !== undefined; f = dma_resv_iter_next_unlocked(t, c)) {
    if (c.restarted) {
      if (copy.fences.length > 0) restarts++;
      putAll(t, copy);
      might_alloc(t, GFP_KERNEL);
      copy.num = c.num;
    }
    copy.fences.push(dma_fence_get(t, f));
    copy.usages.push(c.fenceUsage);
  }
  dma_resv_iter_end(t, c);
  replaceList(t, t.arena.resv(dst), copy);
  return restarts;
}

/** Put every fence of the copy; it is empty again. */
function putAll(t: Task, copy: Copy): void {
  for (const f of copy.fences) dma_fence_put(t, f);
  copy.fences = [];
  copy.usages = [];
}

/**
 * rcu_replace_pointer(dst->fences, list) then dma_resv_list_free(old): the copy goes into the
 * record's other array (as dma_resv_reserve_fences' reallocation does), with max_fences as
 * dma_resv_list_alloc(num) gives it, and is published. An empty copy publishes an empty list
 * with max_fences 0 where the kernel publishes NULL: identities only grow (a reader's restart
 * test), and either way the next add needs a reserve, which starts a first list (without one the
 * kernel's oops is the NULL dereference, the model's RESV_ADD_NO_SLOT). The old list's fences are
 * put after the publish.
 */
function replaceList(t: Task, r: number, copy: Copy): void {
  const old = resv_list(t, r);
  const n = list_num(t, r, old);
  const oldFences: Fence[] = [];
  for (let i = 0; i < n; i++) oldFences.push(entry_fence(list_entry(t, r, old, i)));
  const next = old + 1;
  copy.fences.forEach((f, i) => list_set(t, r, next, i, f, copy.usages[i]!));
  list_set_num(t, r, next, copy.fences.length);
  t.i32[r + R_MAX] = copy.fences.length === 0 ? 0 : dma_resv_list_max_fences(copy.num);
  list_publish(t, r, next);
  for (const f of oldFences) dma_fence_put(t, f);
}
