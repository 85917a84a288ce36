/**
 * A dynamic GPU importer (the amdgpu/xe pattern): maps under the resv lock, programs its engine
 * context with the mapping, publishes each job's fence in the resv with a chosen usage, and on
 * invalidate_mappings only marks the mapping stale — its own worker later waits for its fences,
 * tears the engine mapping down and unmaps (bounded). A stale mapping is never reused: the next
 * submission (under the same lock the exporter invalidates with) unmaps it and maps again.
 * After a (re-)map it waits for the buffer's KERNEL fences — an exporter's move or clear — before
 * its engine may touch the new mapping: the core does not wait for dynamic importers
 * (kernel-semantics §4.5 step 4). amdgpu takes them as job dependencies; the model's engine has no
 * dependency queue, so the importer waits, uninterruptibly with the resv lock held, as
 * ib_umem_dmabuf_map_pages does.
 *
 * Private state (driver-private words): attachment, current mapping handle (0 = none), engine
 * context, fence context, next seqno, invalidated flag, engine actor.
 */
import { EAGAIN, EINVAL, ETIMEDOUT } from '../errno/errno.js';
import { attachment_importer_priv } from '../kernel/dma_buf_attach.js';
import { dma_buf_resv, dma_buf_size, type DmaBuf, type DmaBufAttachment } from '../kernel/dma_buf.js';
import { DMA_BIDIRECTIONAL, registerAttachOps } from '../kernel/dma_buf_ops.js';
import { DMA_RESV_USAGE_KERNEL, type DmaResvUsage } from '../kernel/dma_resv.js';
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import { GFP_KERNEL } from '../kernel/gfp.js';
import { kzalloc_words, priv_load, priv_store } from '../kernel/priv.js';
import type { Task } from '../kernel/task.js';
import { MAX_SCHEDULE_TIMEOUT, type Fence, type KGen } from '../kernel/types.js';
import type { DmaEngineSymbols } from './dma_engine.js';
import { preempt_fence_get, preempt_fence_kill, preempt_fence_rearm, preempt_fence_wait } from './preempt_fence.js';

const THIS_MODULE = moduleRef<KernelApi & DmaEngineSymbols>('amdgpu');

const G_AT = 0;
const G_SGT = 1;
const G_CTX = 2;
const G_FCTX = 3;
const G_SEQ = 4;
const G_INVAL = 5;
const G_ENGINE_ACTOR = 6;
const G_DB = 7;
/** Private words of one GPU importer (gpu_importer_attach): G_*. Its engine context is apart. */
export const GPU_IMPORTER_WORDS = 8;

export const GPU_IMPORTER_OPS = registerAttachOps('gpu_dmabuf_attach_ops', {
  allow_peer2peer: true,
  *invalidate_mappings(t: Task, at: number): KGen<void> {
    priv_store(t, attachment_importer_priv(t, at as DmaBufAttachment) + G_INVAL, 1);
  },
});

/**
 * Attach a GPU importer to `db`, driving engine context `ctx` (dma_engine_context) run by actor
 * `engineActor`. Unlocked. Returns the importer's private handle, or the attach error (the
 * context is then stopped).
 */
export function* gpu_importer_attach(t: Task, db: DmaBuf, dev: number, ctx: number, engineActor: number): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  const ip = kzalloc_words(t, GPU_IMPORTER_WORDS, GFP_KERNEL, gpu_importer_attach);
  const at = yield* k.dma_buf_dynamic_attach(t, db, dev, GPU_IMPORTER_OPS, ip);
  if (at < 0) { k.dma_engine_stop(t, ctx); return at; }
  priv_store(t, ip + G_AT, at);
  priv_store(t, ip + G_CTX, ctx);
  priv_store(t, ip + G_FCTX, k.dma_fence_context_alloc(t, 1));
  priv_store(t, ip + G_ENGINE_ACTOR, engineActor);
  priv_store(t, ip + G_DB, db);
  return ip;
}

export interface GpuWork {
  /** Usage the job fence is published with (KERNEL < WRITE < READ < BOOKKEEP). */
  readonly usage: DmaResvUsage;
  /** Jobs to run, each over `jobPages` of the buffer. */
  readonly jobs: number;
  /** Whether the jobs write the buffer. A READ fence promises they do not: pass `false` with
   *  DMA_RESV_USAGE_READ. */
  readonly write: boolean;
  /** After a (re-)map, wait for the KERNEL fences before binding the engine (default: wait), or
   *  skip the wait — the bug: the engine may touch pages an exporter's move still copies into. */
  readonly kernelFences?: 'wait' | 'skip';
  /** Pages of the mapping each job moves, from its first (the engine context is bound to them);
   *  default, or more than the buffer has: the whole buffer. */
  readonly jobPages?: number;
  /** A long-running context: the preempt fence words (preempt_fence_create, its worker on an
   *  actor of its own) whose fence in BOOKKEEP is all the importer publishes — its jobs' fences
   *  stay out of the resv, `usage` unused. Absent: every job's fence is published with `usage`. */
  readonly preempt?: number;
}

/**
 * The importer's worker: run `jobs` DMA jobs through the engine, mapping on demand (a job whose
 * map fails — -ENODEV while revoked — is dropped and the next one tries again), tearing down when
 * invalidated and at the end, then detaching. Returns 0, or the last map error.
 */
export function* gpu_importer_run(t: Task, ip: number, w: GpuWork): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  const pf = w.preempt ?? -1;
  let ret = 0;
  for (let j = 0; j < w.jobs; j++) {
    const r = yield* submitJob(t, ip, w, pf);
    if (r < 0) { ret = r; continue; }
    const f = r as Fence;
    yield* k.dma_fence_wait(t, f, false);
    k.dma_fence_put(t, f);
    if (priv_load(t, ip + G_INVAL) !== 0) yield* teardown(t, ip, -1);
  }
  yield* teardown(t, ip, pf);
  yield* k.dma_buf_detach(t, priv_load(t, ip + G_DB) as DmaBuf, priv_load(t, ip + G_AT) as DmaBufAttachment);
  k.dma_engine_stop(t, priv_load(t, ip + G_CTX));
  return ret;
}

/** Map if needed, re-arm the preempt fence `pf` (−1: none; while a preemption is under way, wait
 *  for it without the lock and start again), then queue one job and publish its fence (with no
 *  preempt fence); the fence, or the map / reserve error. */
function* submitJob(t: Task, ip: number, w: GpuWork, pf: number): KGen<Fence | number> {
  const k = symbols(t, THIS_MODULE);
  // Returns a Fence (an id >= 0) or a negative errno: test with `< 0`, never typeof (Fence is a
  // number).
  const resv = dma_buf_resv(t, priv_load(t, ip + G_DB) as DmaBuf);
  for (;;) {
    yield* k.dma_resv_lock(t, resv, null);
    const ready = yield* mapAndArm(t, ip, w, pf);
    if (ready === 0) break;
    const preempting = ready === -EAGAIN ? preempt_fence_get(t, pf) : -1;
    k.dma_resv_unlock(t, resv);
    if (preempting < 0) return ready;
    yield* preempt_fence_wait(t, preempting as Fence);
  }
  const seq = priv_load(t, ip + G_SEQ) + 1;
  priv_store(t, ip + G_SEQ, seq);
  const err = pf >= 0 ? 0 : k.dma_resv_reserve_fences(t, resv, 1);
  if (err < 0) { k.dma_resv_unlock(t, resv); return err; }
  const f = k.dma_fence_init(t, priv_load(t, ip + G_FCTX), seq, { signaler: priv_load(t, ip + G_ENGINE_ACTOR) });
  if (pf < 0) k.dma_resv_add_fence(t, resv, f, w.usage);
  k.dma_engine_submit(t, priv_load(t, ip + G_CTX), w.write, f);
  k.dma_resv_unlock(t, resv);
  return f;
}

/** With the resv lock held: map if needed, then re-arm preempt fence `pf` (−1: none). 0, the map
 *  error, or preempt_fence_rearm's (-EAGAIN: a preemption is under way). */
function* mapAndArm(t: Task, ip: number, w: GpuWork, pf: number): KGen<number> {
  if (priv_load(t, ip + G_SGT) !== 0 && priv_load(t, ip + G_INVAL) !== 0) yield* unmapLocked(t, ip);
  if (priv_load(t, ip + G_SGT) === 0) {
    const mapped = yield* mapAndBind(t, ip, w);
    if (mapped < 0) return mapped;
  }
  return pf >= 0 ? preempt_fence_rearm(t, pf) : 0;
}

/**
 * With the resv lock held: map the attachment, honour the KERNEL fences (unless `w` skips them),
 * then program the engine context with the mapping. 0, or the map error / -ETIMEDOUT (nothing
 * left mapped).
 */
function* mapAndBind(t: Task, ip: number, w: GpuWork): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  const db = priv_load(t, ip + G_DB) as DmaBuf;
  const sgt = yield* k.dma_buf_map_attachment(t, priv_load(t, ip + G_AT) as DmaBufAttachment, DMA_BIDIRECTIONAL);
  if (sgt <= 0) return sgt < 0 ? sgt : -EINVAL;
  priv_store(t, ip + G_SGT, sgt);
  priv_store(t, ip + G_INVAL, 0);
  if (w.kernelFences !== 'skip') {
    const ret = yield* k.dma_resv_wait_timeout(t, dma_buf_resv(t, db), DMA_RESV_USAGE_KERNEL, false, MAX_SCHEDULE_TIMEOUT);
    if (ret <= 0) { yield* unmapLocked(t, ip); return ret < 0 ? ret : -ETIMEDOUT; }
  }
  const size = dma_buf_size(t, db);
  k.dma_engine_bind(t, priv_load(t, ip + G_CTX), sgt, Math.min(w.jobPages ?? size, size));
  return 0;
}

/** Stop the engine reaching the mapping, then unmap it (resv lock taken here); at the end, kill
 *  preempt fence `pf` (−1: none) under the same lock. */
function* teardown(t: Task, ip: number, pf: number): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const resv = dma_buf_resv(t, priv_load(t, ip + G_DB) as DmaBuf);
  yield* k.dma_resv_lock(t, resv, null);
  yield* unmapLocked(t, ip);
  if (pf >= 0) preempt_fence_kill(t, pf);
  k.dma_resv_unlock(t, resv);
}

/** With the resv lock held: unbind the engine context and unmap the cached mapping, if any. */
function* unmapLocked(t: Task, ip: number): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const sgt = priv_load(t, ip + G_SGT);
  if (sgt === 0) return;
  k.dma_engine_unbind(t, priv_load(t, ip + G_CTX));
  yield* k.dma_buf_unmap_attachment(t, priv_load(t, ip + G_AT) as DmaBufAttachment, sgt, DMA_BIDIRECTIONAL);
  priv_store(t, ip + G_SGT, 0);
}
