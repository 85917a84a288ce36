/**
 * dma_fence_chain (drivers/dma-buf/dma-fence-chain.c): a timeline point — a node holding a fence
 * and the previous point, which signals once its fence and every earlier one did.
 *
 * A node is a fence row (F_OPS FOPS_CHAIN, 64-bit seqnos) and kzalloc'd words (F_PRIV): prev (the
 * kernel's RCU pointer: handle + 1, 0 = NULL; replaced by compare-and-exchange only), prev_seqno,
 * the contained fence and the node's one callback node. The node owns a reference to prev and to
 * its fence, handed over at init. Walking (dma_fence_chain_walk) drops signalled earlier points
 * from the chain as it goes. Enabling signalling arms the callback on the first unsignalled
 * fence going back; when it runs, irq_work (irq_work.ts) re-arms it on the next, or signals the
 * node when none is left.
 *
 * Context: any task; nothing here sleeps. Callers hold a reference to the node they pass.
 */
import { EINVAL } from '../errno/errno.js';
import { FOPS_CHAIN, F_OPS, F_PRIV, F_REFCOUNT } from '../shm/layout.js';
import { dma_fence_add_callback, dma_fence_cb_alloc, dma_fence_cb_arg, dma_fence_cb_free } from './dma_fence_cb.js';
import { dma_fence_set_deadline } from './dma_fence_deadline.js';
import { NULL_FENCE, dma_fence_context_alloc, dma_fence_init } from './dma_fence_init.js';
import { KCB_CHAIN, dma_fence_is_chain, register_container_ops, register_kernel_callback } from './dma_fence_ops.js';
import { dma_fence_context, dma_fence_seqno } from './dma_fence_order.js';
import { dma_fence_get, dma_fence_get_rcu, dma_fence_put } from './dma_fence_ref.js';
import { dma_fence_is_signaled, dma_fence_signal } from './dma_fence_signal.js';
import { irq_work_queue } from './irq_work.js';
import { GFP_NOWAIT, __GFP_NOLOCKDEP } from './gfp.js';
import { kfree_words, kzalloc_words, privIndex, priv_cmpxchg, priv_load, priv_store } from './priv.js';
import { kasan_check_priv } from './priv_kasan.js';
import type { Task } from './task.js';
import type { Fence, FenceCb } from './types.js';

/** Private words of a node. CH_PREV: prev + 1 (atomic; 0 = NULL). */
const CH_PREV = 0;
const CH_PREV_SEQNO_LO = 1;
const CH_PREV_SEQNO_HI = 2;
/** The contained fence (+ 1). */
const CH_FENCE = 3;
const CH_CB = 4;
const CHAIN_WORDS = 5;
/** dma_fence_get_rcu_safe retries; each retry means a concurrent walk replaced prev. */
const GET_PREV_TRIES = 1 << 20;

function words(t: Task, chain: Fence): number {
  return t.i32[t.arena.fence(chain) + F_PRIV]!;
}

/** The node's prev_seqno: the seqno of prev when the node continued prev's context, else 0. */
export function dma_fence_chain_prev_seqno(t: Task, chain: Fence): number {
  const w = words(t, chain);
  return priv_load(t, w + CH_PREV_SEQNO_HI) * 0x100000000 + (priv_load(t, w + CH_PREV_SEQNO_LO) >>> 0);
}

/** dma_fence_chain_contained: a node's fence, or `f` itself when it is no chain node. */
export function dma_fence_chain_contained(t: Task, f: Fence): Fence {
  return dma_fence_is_chain(t, f) ? (priv_load(t, words(t, f) + CH_FENCE) - 1) as Fence : f;
}

/**
 * dma_fence_chain_alloc: a node's CHAIN_WORDS zeroed private words (recorded as allocated in this
 * function, as KASAN names the kernel's). The kernel's caller allocates the node beforehand, with
 * GFP_KERNEL, and dma_fence_chain_init allocates nothing; the model allocates from
 * dma_fence_chain_init with no reclaim annotation (GFP_NOWAIT | __GFP_NOLOCKDEP), so a chain
 * initialised inside a signalling section is not reported for an allocation its kernel twin made
 * outside. Any task; never sleeps.
 */
function dma_fence_chain_alloc(t: Task): number {
  return kzalloc_words(t, CHAIN_WORDS, GFP_NOWAIT | __GFP_NOLOCKDEP, dma_fence_chain_alloc);
}

/**
 * dma_fence_chain_init (with dma_fence_chain_alloc): a node for `fence` at `seqno` after `prev`
 * (NULL_FENCE for a new chain); the caller's references to both move into the node. It continues
 * prev's context when prev is a node and `seqno` is later than prev's (prev_seqno = prev's
 * seqno), else takes a new context — after a node, at the later of the two seqnos. Returns the
 * node — never NULL in the model (no allocation fault injection): private words or a callback
 * node that do not fit the arena geometry throw ERR_ARENA_GEOMETRY. WARNs
 * FENCE_CHAIN_NESTED (aux [fence + 1]) when `fence` is itself a node; the node is made anyway.
 */
export function dma_fence_chain_init(t: Task, prev: Fence, fence: Fence, seqno: number): Fence {
  const w = dma_fence_chain_alloc(t);
  const prevChain = dma_fence_is_chain(t, prev);
  const prevSeqno = prevChain ? dma_fence_seqno(t, prev) : 0;
  const continues = prevChain && seqno > prevSeqno;
  const context = continues ? dma_fence_context(t, prev) : dma_fence_context_alloc(t, 1);
  if (continues) {
    priv_store(t, w + CH_PREV_SEQNO_LO, prevSeqno | 0);
    priv_store(t, w + CH_PREV_SEQNO_HI, Math.floor(prevSeqno / 0x100000000));
  }
  priv_store(t, w + CH_PREV, prev + 1);
  priv_store(t, w + CH_FENCE, fence + 1);
  const chain = dma_fence_init(t, context, prevChain && !continues ? Math.max(prevSeqno, seqno) : seqno, { seqno64: true, signaler: -1 });
  priv_store(t, w + CH_CB, dma_fence_cb_alloc(t, chain));
  t.i32[t.arena.fence(chain) + F_OPS] = FOPS_CHAIN;
  t.i32[t.arena.fence(chain) + F_PRIV] = w;
  if (dma_fence_is_chain(t, fence)) t.warn('FENCE_CHAIN_NESTED', chain, 0, [fence + 1]);
  return chain;
}

/** dma_fence_chain_get_prev (dma_fence_get_rcu_safe): a reference to the node's prev, or NULL.
 *  A retry loop that never gets one is a SOFT_LOCKUP BUG. A node released already (its words
 *  given back) is reported once (PRIV_USE_AFTER_FREE in this function) and the loop reads the
 *  stale word, as priv_load's read proceeds. */
function dma_fence_chain_get_prev(t: Task, chain: Fence): Fence {
  const w = words(t, chain) + CH_PREV;
  kasan_check_priv(t, w);
  const at = privIndex(t, w);
  for (let i = 0; i < GET_PREV_TRIES; i++) {
    const p = Atomics.load(t.i32, at) - 1;
    if (p < 0) return NULL_FENCE;
    if (!dma_fence_get_rcu(t, p as Fence)) continue;
    if (Atomics.load(t.i32, at) - 1 === p) return p as Fence;
    dma_fence_put(t, p as Fence);
  }
  t.bug('SOFT_LOCKUP', chain);
  return NULL_FENCE;
}

/**
 * dma_fence_chain_walk: the point before node `fence`, dropping the caller's reference to
 * `fence` and returning one to that point (NULL_FENCE at the chain's end, or when `fence` is no
 * node). Earlier points whose fence signalled are unlinked first (prev replaced by their prev
 * with a compare-and-exchange, so a concurrent walk's replacement wins and nothing is lost).
 */
export function dma_fence_chain_walk(t: Task, fence: Fence): Fence {
  if (!dma_fence_is_chain(t, fence)) { dma_fence_put(t, fence); return NULL_FENCE; }
  let prev: Fence;
  while ((prev = dma_fence_chain_get_prev(t, fence)) >= 0) {
    let replacement = NULL_FENCE;
    if (dma_fence_is_chain(t, prev)) {
      if (!dma_fence_is_signaled(t, dma_fence_chain_contained(t, prev))) break;
      replacement = dma_fence_chain_get_prev(t, prev);
    } else if (!dma_fence_is_signaled(t, prev)) break;
    const tmp = priv_cmpxchg(t, words(t, fence) + CH_PREV, prev + 1, replacement + 1) - 1;
    dma_fence_put(t, (tmp === prev ? tmp : replacement) as Fence);
    dma_fence_put(t, prev);
  }
  dma_fence_put(t, fence);
  return prev;
}

/**
 * dma_fence_chain_find_seqno: move `*pfence` (a node, referenced by the caller) to the point
 * that signals `seqno`: the earliest point on its context at or after `seqno` not yet collected
 * — NULL_FENCE when all up to it signalled. The reference moves with it. 0, also for `seqno` 0
 * (no move); -EINVAL when `*pfence` is no node or `seqno` is past its seqno.
 */
export function dma_fence_chain_find_seqno(t: Task, pfence: { f: Fence }, seqno: number): number {
  if (seqno === 0) return 0;
  const chain = pfence.f;
  if (!dma_fence_is_chain(t, chain) || dma_fence_seqno(t, chain) < seqno) return -EINVAL;
  const context = dma_fence_context(t, chain);
  for (pfence.f = dma_fence_get(t, chain); pfence.f >= 0; pfence.f = dma_fence_chain_walk(t, pfence.f)) {
    if (dma_fence_context(t, pfence.f) !== context || !dma_fence_is_chain(t, pfence.f)) break;
    if (dma_fence_chain_prev_seqno(t, pfence.f) < seqno) break;
  }
  dma_fence_put(t, chain);
  return 0;
}

/**
 * dma_fence_chain_enable_signaling: arm the node's callback on the first unsignalled fence
 * going back along the chain (walking it); false when every one signalled. Holds a reference
 * to the node and to the armed fence while armed.
 */
function dma_fence_chain_enable_signaling(t: Task, head: Fence): boolean {
  const cb = priv_load(t, words(t, head) + CH_CB) as FenceCb;
  dma_fence_get(t, head);
  for (let it = dma_fence_get(t, head); it >= 0; it = dma_fence_chain_walk(t, it)) {
    const f = dma_fence_get(t, dma_fence_chain_contained(t, it));
    if (dma_fence_add_callback(t, f, cb, KCB_CHAIN) === 0) { dma_fence_put(t, it); return true; }
    dma_fence_put(t, f);
  }
  dma_fence_put(t, head);
  return false;
}

/** dma_fence_chain_cb: the armed fence signalled; irq_work re-arms or signals the node. */
function dma_fence_chain_cb(t: Task, f: number, cb: number): void {
  const chain = dma_fence_cb_arg(t, cb as FenceCb) as Fence;
  irq_work_queue(t, () => {
    if (!dma_fence_chain_enable_signaling(t, chain)) dma_fence_signal(t, chain);
    dma_fence_put(t, chain);
  });
  dma_fence_put(t, f as Fence);
}

/** dma_fence_chain_signaled: every fence from this point back signalled (walks the chain). */
function dma_fence_chain_signaled(t: Task, head: Fence): boolean {
  for (let it = dma_fence_get(t, head); it >= 0; it = dma_fence_chain_walk(t, it)) {
    if (!dma_fence_is_signaled(t, dma_fence_chain_contained(t, it))) { dma_fence_put(t, it); return false; }
  }
  return true;
}

/**
 * dma_fence_chain_release: put prev and the fence, give back the callback node (idle: an armed
 * one held a reference) and the words. Earlier nodes only this one references are
 * unlinked first, one at a time, so releasing a long chain does not recurse (the kernel's loop).
 */
function dma_fence_chain_release(t: Task, chain: Fence): void {
  const at = words(t, chain) + CH_PREV;
  let prev = (priv_load(t, at) - 1) as Fence;
  while (prev >= 0 && dma_fence_is_chain(t, prev) && Atomics.load(t.i32, t.arena.fence(prev) + F_REFCOUNT) === 1) {
    const prevAt = words(t, prev) + CH_PREV;
    priv_store(t, at, priv_load(t, prevAt));
    priv_store(t, prevAt, 0);
    dma_fence_put(t, prev);
    prev = (priv_load(t, at) - 1) as Fence;
  }
  if (prev >= 0) dma_fence_put(t, prev);
  dma_fence_put(t, (priv_load(t, words(t, chain) + CH_FENCE) - 1) as Fence);
  dma_fence_cb_free(t, priv_load(t, words(t, chain) + CH_CB) as FenceCb);
  kfree_words(t, words(t, chain), CHAIN_WORDS, dma_fence_chain_release);
}

/**
 * dma_fence_chain_set_deadline: pass the deadline hint to the fence of every point from `head`
 * back (dma_fence_chain_for_each: the walk, which drops signalled earlier points as it goes),
 * each through dma_fence_set_deadline. Any context; never sleeps.
 */
function dma_fence_chain_set_deadline(t: Task, head: Fence, deadline: number): void {
  for (let it = dma_fence_get(t, head); it >= 0; it = dma_fence_chain_walk(t, it)) {
    dma_fence_set_deadline(t, dma_fence_chain_contained(t, it), deadline);
  }
}

register_container_ops(FOPS_CHAIN, {
  enable_signaling: dma_fence_chain_enable_signaling, signaled: dma_fence_chain_signaled, release: dma_fence_chain_release,
  set_deadline: dma_fence_chain_set_deadline,
});
register_kernel_callback(KCB_CHAIN, dma_fence_chain_cb);
