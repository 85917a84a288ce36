/**
 * Making fences (drivers/dma-buf/dma-fence.c, 7.0-era semantics): fence contexts, dma_fence_init,
 * the actor expected to signal a fence, and the stub fence. References are in dma_fence_ref.ts,
 * signalling and status in dma_fence_signal.ts, context/seqno ordering in dma_fence_order.ts,
 * callbacks in dma_fence_cb.ts, waits in dma_fence_wait.ts.
 *
 * Context: any task. Nothing here sleeps.
 */
import {
  C_FENCE_CONTEXT, FENCEF_ENABLE_SIGNAL, FENCEF_LIVE, FENCEF_SEQNO64, FENCEF_SIGNALED, FENCEF_TIMESTAMP, FOPS_ENABLE_SIGNALS,
  F_CB_HEAD, F_CB_TAIL, F_CONTEXT, F_ERROR, F_FLAGS, F_LOCK, F_OPS, F_REFCOUNT, F_SEQNO_HI, F_SEQNO_LO, F_SIGNALER,
  F_PRIV, F_TIMESTAMP,
} from '../shm/layout.js';
import { fence_alloc, fence_check } from './dma_fence_alloc.js';
import { user_ops_word, type DmaFenceOpsId } from './dma_fence_user_ops.js';
import type { Task } from './task.js';
import type { Fence } from './types.js';

/** The NULL fence pointer: what a function returning a fence returns on failure. */
export const NULL_FENCE = -1 as Fence;
/** The always-signaled stub fence (context 0), made by kernelReset as fence 0. */
export const STUB_FENCE = 0 as Fence;
/** The stub fence's reference count: never reaches 0 (nor saturates) within a trial. */
const STUB_REFS = 0x3fffffff;

export interface FenceInit {
  /** DMA_FENCE_FLAG_SEQNO64 (dma_fence_init64): compare seqnos as 64-bit. */
  readonly seqno64?: boolean;
  /** ops->enable_signaling reports the work done: the fence signals when signaling is enabled. */
  readonly signalsOnEnable?: boolean;
  /** Actor expected to signal it (default: the creating task) — the wait-for graph's edge. */
  readonly signaler?: number;
  /** A driver's own ops (dma_fence_ops_register); `signalsOnEnable` is then ignored: its
   *  enable_signaling decides. */
  readonly ops?: DmaFenceOpsId;
  /** The driver's words for its ops (kzalloc_words), F_PRIV: what its callbacks read. */
  readonly priv?: number;
}

/**
 * dma_fence_context_alloc: the first of `num` fresh fence contexts. Any task. `num` 0 is the
 * kernel's WARN_ON(!num) (FENCE_CONTEXT_ALLOC_ZERO, object: the context returned), and like its
 * atomic64_fetch_add(0) it still returns the next context, which the next allocation hands out
 * again.
 */
export function dma_fence_context_alloc(t: Task, num: number): number {
  const ctx = Atomics.add(t.i32, t.ctl + C_FENCE_CONTEXT, num);
  if (num === 0) t.warn('FENCE_CONTEXT_ALLOC_ZERO', ctx);
  return ctx;
}

/**
 * dma_fence_init: a new unsignaled fence on `context` with `seqno` (0 ≤ seqno < 2^53), refcount
 * 1, no error, with the driver ops and words `init` names (none: a plain fence). Its row may be a
 * released fence's (dma_fence_alloc.ts): the handle differs.
 */
export function dma_fence_init(t: Task, context: number, seqno: number, init: FenceInit = {}): Fence {
  const a = t.arena;
  const id = fence_alloc(t);
  const f = a.fence(id);
  const h = t.i32;
  h[f + F_CONTEXT] = context;
  h[f + F_SEQNO_LO] = seqno | 0;
  h[f + F_SEQNO_HI] = Math.floor(seqno / 0x100000000);
  h[f + F_ERROR] = 0;
  h[f + F_TIMESTAMP] = 0;
  h[f + F_REFCOUNT] = 1;
  h[f + F_OPS] = init.ops !== undefined ? user_ops_word(init.ops) : init.signalsOnEnable === true ? FOPS_ENABLE_SIGNALS : 0;
  h[f + F_CB_HEAD] = 0;
  h[f + F_CB_TAIL] = 0;
  h[f + F_SIGNALER] = (init.signaler ?? t.id) + 1;
  h[f + F_LOCK] = 0;
  h[f + F_PRIV] = init.priv ?? 0;
  Atomics.store(h, f + F_FLAGS, FENCEF_LIVE | (init.seqno64 === true ? FENCEF_SEQNO64 : 0));
  return id;
}

/** Declare which actor is expected to signal `f` (e.g. a DMA engine for a job fence). */
export function dma_fence_set_signaler(t: Task, f: Fence, actor: number): void {
  if (!fence_check(t, f, 'dma_fence_set_signaler')) return;
  t.i32[t.arena.fence(f) + F_SIGNALER] = actor + 1;
}

/** Make the stub fence (context 0, seqno 0, signaled) as fence 0 of a fresh trial. */
export function initStubFence(t: Task): void {
  const f = dma_fence_init(t, 0, 0);
  t.i32[t.arena.fence(f) + F_REFCOUNT] = STUB_REFS;
  t.i32[t.arena.fence(f) + F_SIGNALER] = 0;
  Atomics.or(t.i32, t.arena.fence(f) + F_FLAGS, FENCEF_SIGNALED | FENCEF_ENABLE_SIGNAL);
}

/**
 * dma_fence_allocate_private_stub: a new fence (context 0, seqno 0) signalled at `timestamp`,
 * the caller's one reference. What a merge of nothing unsignalled returns.
 */
export function dma_fence_allocate_private_stub(t: Task, timestamp: number): Fence {
  const f = dma_fence_init(t, 0, 0, { signaler: -1 });
  const fb = t.arena.fence(f);
  t.i32[fb + F_TIMESTAMP] = timestamp;
  Atomics.or(t.i32, fb + F_FLAGS, FENCEF_SIGNALED | FENCEF_ENABLE_SIGNAL | FENCEF_TIMESTAMP);
  return f;
}
