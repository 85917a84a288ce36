/**
 * A preempt fence (xe_preempt_fence.c, amdgpu's eviction fence), part of the GPU importer's
 * module: a fence in the buffer's BOOKKEEP slots that signals only when someone waits for it. Its
 * ops->enable_signaling (called once, under the fence lock, by the first waiter — a revoke
 * waiting BOOKKEEP) queues the preemption of the importer's engine context: a marker on the
 * context's ring (dma_engine_submit_marker), which the engine signals the fence with once every
 * job queued before it has completed, so the context stopped at a job boundary. The importer
 * submits nothing more until it re-arms (preempt_fence_rearm, under the resv lock: a new fence
 * on the same context replaces the signalled one in BOOKKEEP) — the resume.
 *
 * Knob `locked` (the bug): enable_signaling only queues the work to the driver's worker (the
 * importer's actor, which runs queued preempt work at its loop points, preempt_fence_work), and
 * that work takes the buffer's reservation lock before it preempts. A revoke waits BOOKKEEP with
 * that lock held, so the work never runs and the revoke never returns: a deadlock (revoke →
 * preempt fence → importer → resv lock → revoke).
 *
 * Private words (kzalloc'd once per importer, P_*): engine context, engine actor, importer
 * actor, the buffer's resv, knob, fence context, last seqno, current fence, work queued.
 * Locking: P_FENCE and P_SEQ change under the resv lock; P_WORK is set under the fence lock and
 * cleared by the worker.
 */
import { F_PRIV } from '../shm/layout.js';
import { dma_fence_ops_register } from '../kernel/dma_fence_user_ops.js';
import { DMA_RESV_USAGE_BOOKKEEP } from '../kernel/dma_resv.js';
import { GFP_KERNEL } from '../kernel/gfp.js';
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import { kzalloc_words, priv_load, priv_store } from '../kernel/priv.js';
import type { Task } from '../kernel/task.js';
import type { Fence, KGen, Resv } from '../kernel/types.js';
import type { DmaEngineSymbols } from './dma_engine.js';

const THIS_MODULE = moduleRef<KernelApi & DmaEngineSymbols>('amdgpu');

const P_CTX = 0;
const P_ENGINE_ACTOR = 1;
const P_WORKER = 2;
const P_RESV = 3;
const P_LOCKED = 4;
const P_FCTX = 5;
const P_SEQ = 6;
const P_FENCE = 7;
const P_WORK = 8;
/** Private words of one importer's preempt fences (preempt_fence_create): P_*. */
export const PREEMPT_FENCE_WORDS = 9;

/** How the preemption is started: from enable_signaling (fixed) or by work that takes the resv lock (bug). */
export type PreemptKnob = 'direct' | 'locked';

const PREEMPT_FENCE_OPS = dma_fence_ops_register('amdgpu_preempt_fence_ops', {
  get_driver_name: 'amdgpu', get_timeline_name: 'preempt',
  enable_signaling(t: Task, f: Fence): boolean {
    const pf = t.i32[t.arena.fence(f) + F_PRIV]!;
    if (priv_load(t, pf + P_LOCKED) !== 0) { priv_store(t, pf + P_WORK, 1); return true; }
    queuePreemption(t, pf, f);
    return true;
  },
});

/** Queue the context's preemption: the engine signals `f` at the marker. Any context. */
function queuePreemption(t: Task, pf: number, f: Fence): void {
  const k = symbols(t, THIS_MODULE);
  k.dma_fence_set_signaler(t, f, priv_load(t, pf + P_ENGINE_ACTOR));
  k.dma_engine_submit_marker(t, priv_load(t, pf + P_CTX), f);
}

/**
 * The preempt fence words of the importer run by actor `worker` on engine context `ctx` (engine
 * actor `engineActor`) over `resv`. No fence yet: preempt_fence_rearm makes the first.
 */
export function preempt_fence_create(t: Task, ctx: number, engineActor: number, worker: number, resv: Resv, knob: PreemptKnob): number {
  const pf = kzalloc_words(t, PREEMPT_FENCE_WORDS, GFP_KERNEL);
  priv_store(t, pf + P_CTX, ctx);
  priv_store(t, pf + P_ENGINE_ACTOR, engineActor);
  priv_store(t, pf + P_WORKER, worker);
  priv_store(t, pf + P_RESV, resv);
  priv_store(t, pf + P_LOCKED, knob === 'locked' ? 1 : 0);
  priv_store(t, pf + P_FCTX, symbols(t, THIS_MODULE).dma_fence_context_alloc(t, 1));
  priv_store(t, pf + P_FENCE, -1);
  return pf;
}

/**
 * With the resv lock held: when there is no preempt fence or it has signalled (the context was
 * preempted), put it and publish a new one in BOOKKEEP — the resume. 0, or the reserve error.
 */
export function preempt_fence_rearm(t: Task, pf: number): number {
  const k = symbols(t, THIS_MODULE);
  const old = priv_load(t, pf + P_FENCE) as Fence;
  if (old >= 0 && !k.dma_fence_test_signaled_flag(t, old)) return 0;
  const resv = priv_load(t, pf + P_RESV) as Resv;
  const err = k.dma_resv_reserve_fences(t, resv, 1);
  if (err < 0) return err;
  const seq = priv_load(t, pf + P_SEQ) + 1;
  priv_store(t, pf + P_SEQ, seq);
  const f = k.dma_fence_init(t, priv_load(t, pf + P_FCTX), seq, { ops: PREEMPT_FENCE_OPS, priv: pf, signaler: priv_load(t, pf + P_WORKER) });
  k.dma_resv_add_fence(t, resv, f, DMA_RESV_USAGE_BOOKKEEP);
  if (old >= 0) k.dma_fence_put(t, old);
  priv_store(t, pf + P_FENCE, f);
  return 0;
}

/**
 * The driver's worker (the importer's actor, at its loop points; resv lock not held): run the
 * preemption work enable_signaling queued, if any. With the `locked` knob that work takes the
 * resv lock first — the bug.
 */
export function* preempt_fence_work(t: Task, pf: number): KGen<void> {
  if (priv_load(t, pf + P_WORK) === 0) return;
  const k = symbols(t, THIS_MODULE);
  const resv = priv_load(t, pf + P_RESV) as Resv;
  yield* k.dma_resv_lock(t, resv, null);
  priv_store(t, pf + P_WORK, 0);
  const f = priv_load(t, pf + P_FENCE) as Fence;
  if (f >= 0) queuePreemption(t, pf, f);
  k.dma_resv_unlock(t, resv);
}

/** With the resv lock held, at the importer's end: signal the preempt fence (nothing will run on
 *  the context again) and put it. */
export function preempt_fence_kill(t: Task, pf: number): void {
  const k = symbols(t, THIS_MODULE);
  const f = priv_load(t, pf + P_FENCE) as Fence;
  priv_store(t, pf + P_WORK, 0);
  if (f < 0) return;
  k.dma_fence_signal(t, f);
  k.dma_fence_put(t, f);
  priv_store(t, pf + P_FENCE, -1);
}
