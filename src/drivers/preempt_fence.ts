/**
 * A preempt fence (xe_preempt_fence.c, amdgpu's eviction fence), part of the GPU importer's
 * module: a fence in the buffer's BOOKKEEP slots that signals only when someone waits for it. It
 * is what makes a long-running context's use of the buffer visible: with a preempt fence the
 * importer's jobs publish no fences in the resv (gpu_importer.ts), so a revoke that waits BOOKKEEP
 * waits for the preemption and nothing else. Preempting queues a marker on the context's ring
 * (dma_engine_submit_marker), which the engine signals the fence with once every job queued before
 * it has completed: the context stopped at a job boundary. The importer queues nothing behind an
 * enabled, unsignalled fence: it waits for the signal and re-arms under the resv lock
 * (preempt_fence_rearm: a new fence on the same context replaces the signalled one in BOOKKEEP) —
 * the resume, as xe's rebind worker re-arms and resumes only after the preempt fences signalled.
 *
 * The knob (PreemptKnob) says who starts the preemption once ops->enable_signaling runs (under
 * the fence lock, from the first waiter — a revoke waiting BOOKKEEP):
 * - `direct`: enable_signaling queues the marker itself (it may: nothing sleeps).
 * - `worker`: enable_signaling queues the work to the driver's worker (its own actor,
 *   preempt_fence_worker: a workqueue stand-in — xe queue_work()s preempt_fence_work_func on
 *   system_unbound_wq), which queues the marker inside a fence signalling section.
 * - `locked` (the bug): as `worker`, but the work takes the buffer's reservation lock inside its
 *   signalling section before it preempts. A revoke waits BOOKKEEP with that lock held, so the
 *   work never runs: a deadlock (revoke → preempt fence → worker → resv lock → revoke), and
 *   lockdep's resv lock → dma_fence_map (primed by dma_resv_lockdep) meets dma_fence_map → resv.
 * - `nostop` (a negative control, no driver's fix): enable_signaling reports the fence done
 *   without stopping the context — a revoke then proceeds under a running engine.
 *
 * Private words (kzalloc'd once per importer, P_*): engine context, engine actor, worker actor,
 * the buffer's resv, knob, fence context, last seqno, current fence, worker bell, queued work.
 * Locking: P_FENCE and P_SEQ change under the resv lock; P_WFENCE (the queued work: a fence
 * reference + 1, or none, or stopped) is claimed atomically — set by enable_signaling (under the
 * fence lock), taken by the worker, stopped at the importer's end — and P_WORK is the worker's
 * bell.
 */
import { EAGAIN } from '../errno/errno.js';
import { FENCEF_ENABLE_SIGNAL, F_FLAGS, F_PRIV } from '../shm/layout.js';
import { dma_fence_ops_register } from '../kernel/dma_fence_user_ops.js';
import { DMA_RESV_USAGE_BOOKKEEP } from '../kernel/dma_resv.js';
import { GFP_KERNEL } from '../kernel/gfp.js';
import { wait_event, wake_up_word } from '../kernel/kref.js';
import { WS_PREEMPT_FENCE_WORKER } from '../kernel/wait_site.js';
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import { kzalloc_words, privIndex, priv_load, priv_store } from '../kernel/priv.js';
import type { Task } from '../kernel/task.js';
import type { Fence, KGen, Resv } from '../kernel/types.js';
import type { DmaEngineSymbols } from './dma_engine.js';

const THIS_MODULE = moduleRef<KernelApi & DmaEngineSymbols>('amdgpu');

const P_CTX = 0;
const P_ENGINE_ACTOR = 1;
const P_WORKER = 2;
const P_RESV = 3;
const P_KNOB = 4;
const P_FCTX = 5;
const P_SEQ = 6;
const P_FENCE = 7;
const P_WORK = 8;
const P_WFENCE = 9;
/** Private words of one importer's preempt fences (preempt_fence_create): P_*. */
export const PREEMPT_FENCE_WORDS = 10;

/** P_WFENCE: no work queued; else the queued work's fence + 1, or WORK_STOPPED. */
const WORK_NONE = 0;
const WORK_STOPPED = -1;

/** Who starts the preemption enable_signaling asks for (see the file comment). */
export type PreemptKnob = 'direct' | 'worker' | 'locked' | 'nostop';
const KNOBS: readonly PreemptKnob[] = ['direct', 'worker', 'locked', 'nostop'];

function knobOf(t: Task, pf: number): PreemptKnob {
  return KNOBS[priv_load(t, pf + P_KNOB)]!;
}

const PREEMPT_FENCE_OPS = dma_fence_ops_register('amdgpu_preempt_fence_ops', {
  get_driver_name: 'amdgpu', get_timeline_name: 'preempt',
  enable_signaling(t: Task, f: Fence): boolean {
    const pf = t.i32[t.arena.fence(f) + F_PRIV]!;
    const knob = knobOf(t, pf);
    if (knob === 'nostop') return false;
    if (knob === 'direct') { queuePreemption(t, pf, f); return true; }
    queueWork(t, pf, f);
    return true;
  },
});

/** Queue the context's preemption: the engine signals `f` at the marker. Any context. */
function queuePreemption(t: Task, pf: number, f: Fence): void {
  const k = symbols(t, THIS_MODULE);
  k.dma_fence_set_signaler(t, f, priv_load(t, pf + P_ENGINE_ACTOR));
  k.dma_engine_submit_marker(t, priv_load(t, pf + P_CTX), f);
}

/** queue_work: hand `f`'s preemption (with a reference) to the worker and ring its bell; nothing
 *  once the worker has stopped (the importer's end signals the fence itself). Any context. */
function queueWork(t: Task, pf: number, f: Fence): void {
  const k = symbols(t, THIS_MODULE);
  const ref = k.dma_fence_get(t, f);
  if (Atomics.compareExchange(t.i32, privIndex(t, pf + P_WFENCE), WORK_NONE, ref + 1) !== WORK_NONE) { k.dma_fence_put(t, ref); return; }
  ringBell(t, pf);
}

function ringBell(t: Task, pf: number): void {
  const bell = privIndex(t, pf + P_WORK);
  Atomics.add(t.i32, bell, 1);
  wake_up_word(t, bell);
}

/**
 * The preempt fence words of the importer on engine context `ctx` (engine actor `engineActor`)
 * over `resv`, whose work runs on actor `worker` (preempt_fence_worker). No fence yet:
 * preempt_fence_rearm makes the first. Process context (setup).
 */
export function preempt_fence_create(t: Task, ctx: number, engineActor: number, worker: number, resv: Resv, knob: PreemptKnob): number {
  const pf = kzalloc_words(t, PREEMPT_FENCE_WORDS, GFP_KERNEL, preempt_fence_create);
  priv_store(t, pf + P_CTX, ctx);
  priv_store(t, pf + P_ENGINE_ACTOR, engineActor);
  priv_store(t, pf + P_WORKER, worker);
  priv_store(t, pf + P_RESV, resv);
  priv_store(t, pf + P_KNOB, KNOBS.indexOf(knob));
  priv_store(t, pf + P_FCTX, symbols(t, THIS_MODULE).dma_fence_context_alloc(t, 1));
  priv_store(t, pf + P_FENCE, -1);
  return pf;
}

/** test_bit(DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT): a waiter asked for `f`'s signal. */
function enabled(t: Task, f: Fence): boolean {
  return (Atomics.load(t.i32, t.arena.fence(f) + F_FLAGS) & FENCEF_ENABLE_SIGNAL) !== 0;
}

/**
 * With the resv lock held: when there is no preempt fence or it has signalled (the context was
 * preempted), put it and publish a new one in BOOKKEEP — the resume. 0 when the context may take
 * a job; -EAGAIN when the fence is enabled and not yet signalled (a preemption is under way: wait
 * for it without the lock, preempt_fence_wait, and try again); or the reserve error.
 */
export function preempt_fence_rearm(t: Task, pf: number): number {
  const k = symbols(t, THIS_MODULE);
  const old = priv_load(t, pf + P_FENCE) as Fence;
  if (old >= 0 && !k.dma_fence_test_signaled_flag(t, old)) return enabled(t, old) ? -EAGAIN : 0;
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

/** With the resv lock held: a reference to the current preempt fence, for preempt_fence_wait
 *  after the unlock (preempt_fence_rearm said -EAGAIN, so there is one). */
export function preempt_fence_get(t: Task, pf: number): Fence {
  return symbols(t, THIS_MODULE).dma_fence_get(t, priv_load(t, pf + P_FENCE) as Fence);
}

/** Without the resv lock: wait for preempt fence `f` (preempt_fence_get's) to signal, put it. */
export function* preempt_fence_wait(t: Task, f: Fence): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  yield* k.dma_fence_wait(t, f, false);
  k.dma_fence_put(t, f);
}

/**
 * The driver's worker (its own actor; a workqueue): run each preemption enable_signaling queues
 * until the importer stops it (preempt_fence_stop). Process context, no lock held.
 */
export function* preempt_fence_worker(t: Task, pf: number): KGen<void> {
  const bell = privIndex(t, pf + P_WORK);
  const slot = privIndex(t, pf + P_WFENCE);
  for (;;) {
    const seen = Atomics.load(t.i32, bell);
    const v = Atomics.load(t.i32, slot);
    if (v === WORK_STOPPED) return;
    if (v !== WORK_NONE && Atomics.compareExchange(t.i32, slot, v, WORK_NONE) === v) yield* preemptWork(t, pf, (v - 1) as Fence);
    else yield* wait_event(t, bell, seen, WS_PREEMPT_FENCE_WORKER);
  }
}

/**
 * One queued preemption of `f`, in a fence signalling section as xe's preempt_fence_work_func:
 * queue the marker that signals `f` (unless it signalled meanwhile — the importer's end), then put
 * the work's reference. With the `locked` knob the work takes the resv lock first — the bug.
 */
function* preemptWork(t: Task, pf: number, f: Fence): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const resv = priv_load(t, pf + P_RESV) as Resv;
  const locked = knobOf(t, pf) === 'locked';
  const cookie = k.dma_fence_begin_signalling(t);
  if (locked) yield* k.dma_resv_lock(t, resv, null);
  if (!k.dma_fence_test_signaled_flag(t, f)) queuePreemption(t, pf, f);
  if (locked) k.dma_resv_unlock(t, resv);
  k.dma_fence_end_signalling(t, cookie);
  k.dma_fence_put(t, f);
}

/** Stop the worker (any context; once the importer is done or never attached): queued work is
 *  dropped with its reference — the fence is signalled by preempt_fence_kill, or never was made. */
export function preempt_fence_stop(t: Task, pf: number): void {
  const prev = Atomics.exchange(t.i32, privIndex(t, pf + P_WFENCE), WORK_STOPPED);
  if (prev > 0) symbols(t, THIS_MODULE).dma_fence_put(t, (prev - 1) as Fence);
  ringBell(t, pf);
}

/** With the resv lock held, at the importer's end: signal the preempt fence (nothing will run on
 *  the context again), put it and stop the worker. */
export function preempt_fence_kill(t: Task, pf: number): void {
  const k = symbols(t, THIS_MODULE);
  const f = priv_load(t, pf + P_FENCE) as Fence;
  if (f >= 0) {
    k.dma_fence_signal(t, f);
    k.dma_fence_put(t, f);
    priv_store(t, pf + P_FENCE, -1);
  }
  preempt_fence_stop(t, pf);
}
