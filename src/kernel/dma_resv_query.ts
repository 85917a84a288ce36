/**
 * Reading a dma_resv's fences: the locked iterator, and the lockless readers (get_fences,
 * test_signaled, wait_timeout), which need no lock and see a snapshot of the list.
 *
 * Usage rule: a query with usage U sees every fence stored with usage <= U.
 *
 * On a finished object (dma_resv_fini) each reader is a use of freed memory — the kernel's
 * iterator reads `obj->seq` and `obj->fences`, the list dma_resv_list_free released — reported
 * as RESV_USE_AFTER_FINI titled after the reader (dma_resv_lock.ts resv_live), which then sees no
 * fences: the locked iterator calls nothing, get_fences returns none, test_signaled is true and
 * wait_timeout returns at once as for an empty list.
 */
import { ENOMEM } from '../errno/errno.js';
import { R_GEN, R_NUM, R_SLOTS, SLOT_FENCE, SLOT_USAGE, SLOT_WORDS, packOp } from '../shm/layout.js';
import { OP_RESV_WAIT } from '../trace/ops.js';
import { dma_fence_get_rcu, dma_fence_put } from './dma_fence_ref.js';
import { dma_fence_is_signaled_rcu } from './dma_fence_signal.js';
import { dma_fence_wait_timeout } from './dma_fence_wait.js';
import type { DmaResvUsage } from './dma_resv.js';
import { resv_enter_locked, resv_live } from './dma_resv_lock.js';
import type { Task } from './task.js';
import { siteId } from './warn.js';
import type { Fence, KGen, Resv } from './types.js';

/**
 * dma_resv_for_each_fence (locked): call `fn(fence, usage)` for every slot with usage <= `usage`,
 * signaled fences included, in list order. Lock required. No references are taken.
 */
export function dma_resv_for_each_fence(t: Task, obj: Resv, usage: DmaResvUsage, fn: (f: Fence, usage: DmaResvUsage) => void): void {
  if (!resv_enter_locked(t, obj, 'dma_resv_for_each_fence')) return;
  const h = t.i32;
  const r = t.arena.resv(obj);
  const n = h[r + R_NUM]!;
  for (let i = 0; i < n; i++) {
    const s = r + R_SLOTS + i * SLOT_WORDS;
    const u = h[s + SLOT_USAGE]! as DmaResvUsage;
    if (u <= usage) fn(h[s + SLOT_FENCE]! as Fence, u);
  }
}

/**
 * dma_resv_get_fences: a snapshot of the unsignaled fences with usage <= `usage`, each with a
 * reference the caller must put. No lock needed. Returns the array, or -ENOMEM when `max` is
 * exceeded (a stand-in for the allocation failing).
 */
export function dma_resv_get_fences(t: Task, obj: Resv, usage: DmaResvUsage, max = 64): Fence[] | number {
  return resv_live(t, obj, 'dma_resv_get_fences') ? snapshot(t, obj, usage, max, 'dma_resv_get_fences') : [];
}

/** dma_resv_get_fences without the liveness check, for reader `fn` that made its own. */
function snapshot(t: Task, obj: Resv, usage: DmaResvUsage, max: number, fn: string): Fence[] | number {
  const r = t.arena.resv(obj);
  const putAll = (v: Fence[] | number): void => { if (typeof v !== 'number') for (const g of v) dma_fence_put(t, g); };
  return stableRead(t, obj, fn, () => {
    const out: Fence[] = [];
    const h = t.i32;
    const n = Atomics.load(h, r + R_NUM);
    for (let i = 0; i < n; i++) {
      const s = r + R_SLOTS + i * SLOT_WORDS;
      const f = h[s + SLOT_FENCE]! as Fence;
      if (h[s + SLOT_USAGE]! > usage || dma_fence_is_signaled_rcu(t, f)) continue;
      if (out.length === max) { putAll(out); return -ENOMEM; }
      if (dma_fence_get_rcu(t, f)) out.push(f);
    }
    return out;
  }, putAll);
}

/** Reader retries before concluding a writer never finishes (a finding, never a hung harness). */
const READ_RETRIES = 1 << 20;

/**
 * Run reader `fn`'s lockless `scan` over a stable fence list of `obj` (the kernel's RCU read
 * side): retry while a writer is mid-change (odd generation) or changed the list meanwhile,
 * undoing the failed scan. The generation word is the model's stand-in for the kernel iterator's
 * restart when the list changes under it, and stricter: a scan here always sees one writer's
 * whole change, where the kernel's walk may see a slot written after it passed. A writer that
 * never finishes (a thread stopped mid-change) leaves the reader looping: SOFT_LOCKUP on `obj`
 * titled after `fn` (throws KernelOops).
 */
function stableRead<T>(t: Task, obj: Resv, fn: string, scan: () => T, undo?: (v: T) => void): T {
  const r = t.arena.resv(obj);
  for (let i = 0; ; i++) {
    const g = Atomics.load(t.i32, r + R_GEN);
    if ((g & 1) === 0) {
      const v = scan();
      if (Atomics.load(t.i32, r + R_GEN) === g) return v;
      undo?.(v);
    }
    if (i === READ_RETRIES) t.bug('SOFT_LOCKUP', obj, siteId(fn));
  }
}

/** dma_resv_test_signaled: no unsignaled fence with usage <= `usage`. No lock needed. */
export function dma_resv_test_signaled(t: Task, obj: Resv, usage: DmaResvUsage): boolean {
  if (!resv_live(t, obj, 'dma_resv_test_signaled')) return true;
  const h = t.i32;
  const r = t.arena.resv(obj);
  return stableRead(t, obj, 'dma_resv_test_signaled', () => {
    const n = Atomics.load(h, r + R_NUM);
    for (let i = 0; i < n; i++) {
      const s = r + R_SLOTS + i * SLOT_WORDS;
      if (h[s + SLOT_USAGE]! <= usage && !dma_fence_is_signaled_rcu(t, h[s + SLOT_FENCE]! as Fence)) return false;
    }
    return true;
  });
}

/**
 * dma_resv_wait_timeout: wait for every unsignaled fence with usage <= `usage`, the remaining
 * budget carrying over from fence to fence. No lock needed (holding it is allowed).
 * Returns > 0 when all signaled (remaining jiffies; 1 for timeout 0), 0 on timeout (immediately
 * for timeout 0 with an unsignaled fence), -ERESTARTSYS when `intr` and a signal is pending.
 */
export function* dma_resv_wait_timeout(t: Task, obj: Resv, usage: DmaResvUsage, intr: boolean, timeout: number): KGen<number> {
  yield packOp(OP_RESV_WAIT, obj);
  const fences = resv_live(t, obj, 'dma_resv_wait_timeout') ? snapshot(t, obj, usage, t.arena.geometry.resvSlots, 'dma_resv_wait_timeout') : [];
  if (typeof fences === 'number') return fences;
  let ret = timeout === 0 ? 1 : timeout;
  let budget = timeout;
  let i = 0;
  for (; i < fences.length; i++) {
    ret = yield* dma_fence_wait_timeout(t, fences[i]!, intr, budget);
    dma_fence_put(t, fences[i]!);
    if (ret <= 0) { i++; break; }
    if (budget !== 0) budget = ret;
  }
  for (; i < fences.length; i++) dma_fence_put(t, fences[i]!);
  return ret;
}
