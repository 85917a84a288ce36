/**
 * A device DMA engine: importers bind a context to their mapping, submit jobs and ring the
 * doorbell; the engine actor copies page by page through the IOMMU (a scheduling point before
 * every page, so revoke can land between two of them), signals the job's fence, then — like real
 * hardware read-ahead — may speculatively read the first page of the context's mapping while it is
 * still bound. Everything the engine touches is checked by dma_engine_access.
 *
 * State (driver-private words): engine [doorbell, live contexts]; context [engine, bound mapping
 * handle (0 = unbound), pages]. Jobs live in the arena's job table.
 */
import {
  C_NEXT_JOB, JOBS_DONE, JOBS_QUEUED, JOBS_RUNNING, JB_ENGINE, JB_FENCE, JB_IOVA, JB_PAGES,
  JB_STATE, JB_SUBMITTER, JB_WRITE, packOp,
} from '../shm/layout.js';
import { OP_DMA, OP_DMA_SPECULATIVE } from '../trace/ops.js';
import { allocRow } from '../kernel/alloc.js';
import { dma_engine_access } from '../kernel/dma_access.js';
import { dma_fence_signal } from '../kernel/dma_fence.js';
import { wait_event, wake_up_word } from '../kernel/kref.js';
import { kzalloc_words, privIndex, priv_load, priv_store } from '../kernel/priv.js';
import { MARK_BEGIN, MARK_END, PH_DMA_JOB } from '../kernel/phases.js';
import type { Task } from '../kernel/task.js';
import type { Fence, KGen } from '../kernel/types.js';

const E_DOORBELL = 0;
const E_LIVE = 1;
const X_ENGINE = 0;
const X_BOUND = 1;
const X_PAGES = 2;
/** Accesses in flight through the context (atomic): unbind waits for them, as a hardware
 *  page-table zap completes only once the engine no longer uses the old entries. */
const X_INFLIGHT = 3;
const UNBIND_SPIN_LIMIT = 1 << 24;

export interface EngineOptions {
  /** Speculative read-ahead after each job (hardware prefetch not covered by any fence). */
  readonly speculative: boolean;
  /** Pages moved per scheduling point (a DMA burst; default 1: revoke can land between any two
   *  pages). Every page is still checked. */
  readonly burst?: number;
}

/** A new engine; returns its handle. */
export function dma_engine_create(t: Task): number {
  return kzalloc_words(t, 2);
}

/** A context on `engine` for one importer; the engine keeps running until every context stops. */
export function dma_engine_context(t: Task, engine: number): number {
  const c = kzalloc_words(t, 4);
  priv_store(t, c + X_ENGINE, engine);
  Atomics.add(t.i32, privIndex(t, engine + E_LIVE), 1);
  return c;
}

/** Program the context's page table with mapping `handle` of `pages` pages. */
export function dma_engine_bind(t: Task, ctx: number, handle: number, pages: number): void {
  priv_store(t, ctx + X_PAGES, pages);
  priv_store(t, ctx + X_BOUND, handle);
}

/** Tear the context's page table down: from now on the engine cannot reach the mapping. */
export function dma_engine_unbind(t: Task, ctx: number): void {
  priv_store(t, ctx + X_BOUND, 0);
  const inflight = privIndex(t, ctx + X_INFLIGHT);
  for (let i = 0; Atomics.load(t.i32, inflight) !== 0; i++) {
    if (i === UNBIND_SPIN_LIMIT) t.bug('SPINLOCK_LOCKUP', ctx);
  }
}

/**
 * One device access through context `ctx` at page `i` of its mapping, atomic with respect to
 * dma_engine_unbind: false when the context is (now) unbound.
 */
function accessBound(t: Task, ctx: number, i: number, write: boolean, speculative: boolean): boolean {
  const inflight = privIndex(t, ctx + X_INFLIGHT);
  Atomics.add(t.i32, inflight, 1);
  const bound = priv_load(t, ctx + X_BOUND);
  if (bound !== 0) dma_engine_access(t, bound - 1 + i, write, speculative);
  Atomics.sub(t.i32, inflight, 1);
  return bound !== 0;
}

/** Queue a job over the context's whole mapping; `fence` is signaled when it completes. */
export function dma_engine_submit(t: Task, ctx: number, write: boolean, fence: Fence): number {
  const a = t.arena;
  const j = allocRow(a, C_NEXT_JOB, a.geometry.jobs, 'dma job');
  const b = a.job(j);
  const h = t.i32;
  h[b + JB_ENGINE] = priv_load(t, ctx + X_ENGINE);
  h[b + JB_IOVA] = ctx;
  h[b + JB_PAGES] = priv_load(t, ctx + X_PAGES);
  h[b + JB_WRITE] = write ? 1 : 0;
  h[b + JB_FENCE] = fence;
  h[b + JB_SUBMITTER] = t.id + 1;
  Atomics.store(h, b + JB_STATE, JOBS_QUEUED);
  ringDoorbell(t, h[b + JB_ENGINE]!);
  return j;
}

/** The importer is done with its context; the engine exits once all are done and idle. */
export function dma_engine_stop(t: Task, ctx: number): void {
  const engine = priv_load(t, ctx + X_ENGINE);
  Atomics.sub(t.i32, privIndex(t, engine + E_LIVE), 1);
  ringDoorbell(t, engine);
}

function ringDoorbell(t: Task, engine: number): void {
  const bell = privIndex(t, engine + E_DOORBELL);
  Atomics.add(t.i32, bell, 1);
  wake_up_word(t, bell);
}

/** Queue finished job `job` again (same context and size) with a new completion fence. */
export function dma_engine_resubmit(t: Task, job: number, fence: Fence): void {
  const b = t.arena.job(job);
  t.i32[b + JB_FENCE] = fence;
  Atomics.store(t.i32, b + JB_STATE, JOBS_QUEUED);
  ringDoorbell(t, t.i32[b + JB_ENGINE]!);
}

/** The engine actor: run queued jobs in submission order until every context has stopped. */
export function* dma_engine_run(t: Task, engine: number, opts: EngineOptions): KGen<void> {
  const bell = privIndex(t, engine + E_DOORBELL);
  for (;;) {
    const seen = Atomics.load(t.i32, bell);
    const job = nextJob(t, engine);
    if (job >= 0) { yield* runJob(t, job, opts); continue; }
    if (priv_load(t, engine + E_LIVE) <= 0) return;
    yield* wait_event(t, bell, seen);
  }
}

function nextJob(t: Task, engine: number): number {
  const a = t.arena;
  const n = Math.min(t.i32[t.ctl + C_NEXT_JOB]!, a.geometry.jobs);
  for (let j = 0; j < n; j++) {
    const b = a.job(j);
    if (t.i32[b + JB_ENGINE] === engine && Atomics.load(t.i32, b + JB_STATE) === JOBS_QUEUED) return j;
  }
  return -1;
}

function* runJob(t: Task, job: number, opts: EngineOptions): KGen<void> {
  const h = t.i32;
  const b = t.arena.job(job);
  const ctx = h[b + JB_IOVA]!;
  t.mark(PH_DMA_JOB, MARK_BEGIN);
  Atomics.store(h, b + JB_STATE, JOBS_RUNNING);
  const burst = Math.max(1, opts.burst ?? 1);
  const pages = h[b + JB_PAGES]!;
  const write = h[b + JB_WRITE] === 1;
  for (let i = 0; i < pages; i += burst) {
    yield packOp(OP_DMA, job);
    let bound = true;
    for (let k = i; k < i + burst && k < pages && bound; k++) bound = accessBound(t, ctx, k, write, false);
    if (!bound) break;
  }
  t.mark(PH_DMA_JOB, MARK_END);
  Atomics.store(h, b + JB_STATE, JOBS_DONE);
  dma_fence_signal(t, h[b + JB_FENCE]! as Fence);
  if (!opts.speculative) return;
  yield packOp(OP_DMA_SPECULATIVE, job);
  accessBound(t, ctx, 0, false, true);
}
