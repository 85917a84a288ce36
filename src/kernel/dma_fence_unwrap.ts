/**
 * Unwrapping fence containers (drivers/dma-buf/dma-fence-unwrap.c): iterate the leaf fences of
 * a fence, a dma_fence_array or a dma_fence_chain whose points hold arrays — chains walked
 * (and garbage-collected) point by point, each point's array fence by fence, nothing else
 * nested — and merge fences into one: the latest unsignalled fence per context, ordered by
 * context, as one fence when that leaves one, as a new dma_fence_array when more.
 *
 * Context: any task; nothing here sleeps. The caller holds references to the fences it passes;
 * the leaves an iteration returns are borrowed from their container (the cursor holds the
 * container's reference: get a leaf to keep it).
 */
import { FENCEF_TIMESTAMP, F_FLAGS, F_TIMESTAMP } from '../shm/layout.js';
import { dma_fence_array_create, dma_fence_array_first, dma_fence_array_next } from './dma_fence_array.js';
import { dma_fence_chain_contained, dma_fence_chain_walk } from './dma_fence_chain.js';
import { NULL_FENCE, dma_fence_allocate_private_stub, dma_fence_context_alloc } from './dma_fence_init.js';
import { dma_fence_context, dma_fence_is_later } from './dma_fence_order.js';
import { dma_fence_get, dma_fence_put } from './dma_fence_ref.js';
import { dma_fence_is_signaled } from './dma_fence_signal.js';
import type { Task } from './task.js';
import type { Fence } from './types.js';

/** struct dma_fence_unwrap: the chain point (referenced), its array and the index in it. */
export interface DmaFenceUnwrap {
  chain: Fence;
  array: Fence;
  index: number;
}

/** A cursor to pass to dma_fence_unwrap_first. */
export function dma_fence_unwrap_cursor(): DmaFenceUnwrap {
  return { chain: NULL_FENCE, array: NULL_FENCE, index: 0 };
}

function unwrapArray(t: Task, c: DmaFenceUnwrap): Fence {
  c.array = dma_fence_chain_contained(t, c.chain);
  c.index = 0;
  return dma_fence_array_first(t, c.array);
}

/** dma_fence_unwrap_first: the first leaf of `head` (NULL_FENCE for none); takes a reference
 *  to `head` into the cursor, which the iteration's end drops. */
export function dma_fence_unwrap_first(t: Task, head: Fence, c: DmaFenceUnwrap): Fence {
  c.chain = head < 0 ? NULL_FENCE : dma_fence_get(t, head);
  return unwrapArray(t, c);
}

/** dma_fence_unwrap_next: the next leaf, NULL_FENCE (and the cursor's reference dropped) at the
 *  end. */
export function dma_fence_unwrap_next(t: Task, c: DmaFenceUnwrap): Fence {
  const tmp = dma_fence_array_next(t, c.array, ++c.index);
  if (tmp >= 0) return tmp;
  c.chain = dma_fence_chain_walk(t, c.chain);
  return unwrapArray(t, c);
}

/** dma_fence_unwrap_for_each: `body` on every leaf of `head`, in order. */
export function dma_fence_unwrap_for_each(t: Task, head: Fence, body: (f: Fence) => void): void {
  const c = dma_fence_unwrap_cursor();
  for (let f = dma_fence_unwrap_first(t, head, c); f >= 0; f = dma_fence_unwrap_next(t, c)) body(f);
}

/** dma_fence_timestamp: when a signalled fence signalled. */
function timestampOf(t: Task, f: Fence): number {
  const fb = t.arena.fence(f);
  return (Atomics.load(t.i32, fb + F_FLAGS) & FENCEF_TIMESTAMP) !== 0 ? t.i32[fb + F_TIMESTAMP]! : t.now();
}

/** References to the unsignalled leaves of `fences`, and the latest timestamp of the signalled. */
function unsignalledLeaves(t: Task, fences: readonly Fence[]): { leaves: Fence[]; timestamp: number } {
  const leaves: Fence[] = [];
  let timestamp = 0;
  for (const head of fences) {
    dma_fence_unwrap_for_each(t, head, (f) => {
      if (!dma_fence_is_signaled(t, f)) leaves.push(dma_fence_get(t, f));
      else timestamp = Math.max(timestamp, timestampOf(t, f));
    });
  }
  return { leaves, timestamp };
}

/** fence_cmp: by context, then the later fence of a context first. */
function fenceCmp(t: Task, a: Fence, b: Fence): number {
  const ca = dma_fence_context(t, a);
  const cb = dma_fence_context(t, b);
  if (ca !== cb) return ca < cb ? -1 : 1;
  if (dma_fence_is_later(t, b, a)) return 1;
  return dma_fence_is_later(t, a, b) ? -1 : 0;
}

/**
 * dma_fence_dedup_array: sort `fences` (references) by context and keep the latest of each
 * context, putting the others. Returns the new count; the kept ones are at the front.
 */
export function dma_fence_dedup_array(t: Task, fences: Fence[]): number {
  fences.sort((a, b) => fenceCmp(t, a, b));
  let j = 0;
  for (let i = 1; i < fences.length; i++) {
    if (dma_fence_context(t, fences[i]!) === dma_fence_context(t, fences[j]!)) dma_fence_put(t, fences[i]!);
    else fences[++j] = fences[i]!;
  }
  fences.length = fences.length === 0 ? 0 : j + 1;
  return fences.length;
}

/**
 * dma_fence_unwrap_merge: one fence for the leaves of `fences` — a new signalled private stub
 * (stamped with the latest leaf's signal) when none is unsignalled, the one unsignalled leaf
 * itself, else a new dma_fence_array (own context, seqno 1) of the latest unsignalled leaf per
 * context, ordered by context. Returns a reference (never NULL in the model: dma_fence_array_create
 * does not fail; arrays that do not fit the arena throw ERR_ARENA_GEOMETRY).
 * One pass over the leaves where the kernel makes two (count, then collect): the same result.
 */
export function dma_fence_unwrap_merge(t: Task, fences: readonly Fence[]): Fence {
  const { leaves, timestamp } = unsignalledLeaves(t, fences);
  const count = dma_fence_dedup_array(t, leaves);
  if (count === 0) return dma_fence_allocate_private_stub(t, timestamp);
  if (count === 1) return leaves[0]!;
  return dma_fence_array_create(t, count, leaves, dma_fence_context_alloc(t, 1), 1, false);
}

