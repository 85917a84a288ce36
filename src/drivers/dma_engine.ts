/**
 * A device DMA engine: importers bind a context to their mapping, submit jobs and ring the
 * doorbell; the engine actor copies page by page through the IOMMU (a scheduling point before
 * every burst of pages — one page by default — so revoke can land between two of them), signals
 * the job's fence from its completion interrupt (hardirq context), then — like real hardware
 * read-ahead — may speculatively read the first page of the context's mapping while it is still
 * bound. Every page the engine touches is checked (kernel/dma_access.ts).
 *
 * State (driver-private words): engine [doorbell, live contexts, submission tickets]; context
 * [engine, its page table: an IOMMU domain (kernel/iommu_domain.ts) with the bound mapping]. Jobs
 * live in the arena's job table; the engine runs queued jobs in submission order, like a hardware
 * ring.
 *
 * It is module `dma_engine` (like the GPU scheduler module drivers submit jobs to): importers
 * reach its client API through their symbol tables (EXPORT_SYMBOL_GPL, `DmaEngineSymbols`).
 */
import { WS_DMA_ENGINE_RUN } from '../kernel/wait_site.js';
import {
  C_NEXT_JOB, JOBS_DONE, JOBS_QUEUED, JOBS_RUNNING, JB_ENGINE, JB_FENCE, JB_IOVA, JB_PAGES,
  JB_RUN_FENCE, JB_SEQ, JB_STATE, JB_WRITE, packOp,
} from '../shm/layout.js';
import { OP_DMA, OP_DMA_SPECULATIVE } from '../trace/ops.js';
import { allocRow } from '../kernel/alloc.js';
import {
  D_INFLIGHT, IOMMU_DOMAIN_WORDS, iommu_domain_clear, iommu_domain_dma, iommu_domain_install, iommu_domain_pages,
} from '../kernel/iommu_domain.js';
import { wait_event, wake_up_word } from '../kernel/kref.js';
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import { GFP_KERNEL } from '../kernel/gfp.js';
import { hardirq_enter, hardirq_exit } from '../kernel/hardirq.js';
import { kzalloc_words, privIndex, priv_load, priv_store } from '../kernel/priv.js';
import { MARK_BEGIN, MARK_END, PH_DMA_JOB } from '../kernel/phases.js';
import type { Task } from '../kernel/task.js';
import type { Fence, KGen } from '../kernel/types.js';

const E_DOORBELL = 0;
const E_LIVE = 1;
/** Next submission ticket (atomic): orders the engine's queue. */
const E_TICKET = 2;
/** Private words of an engine (dma_engine_create): E_*. */
export const DMA_ENGINE_WORDS = 3;
const X_ENGINE = 0;
/** The context's page table: an IOMMU domain (kernel/iommu_domain.ts) — the bound mapping's
 *  translation (none = unbound), its pages, the bursts in flight through it. */
const X_DOMAIN = 1;
/** Bursts in flight through the context (atomic): unbind waits for them, as a hardware
 *  page-table zap completes only once the engine no longer uses the old entries. Exported for
 *  tests that stop a burst midway (a burst never stops at a scheduling point). */
export const X_INFLIGHT = X_DOMAIN + D_INFLIGHT;
/** Private words of an engine context (dma_engine_context), one per importer: X_*. */
export const DMA_ENGINE_CONTEXT_WORDS = X_DOMAIN + IOMMU_DOMAIN_WORDS;

const THIS_MODULE = moduleRef<KernelApi>('dma_engine');

/** The engine's exports (modules.ts), as importers' tables type them. */
export type DmaEngineSymbols = Pick<typeof import('./dma_engine.js'),
  'dma_engine_create' | 'dma_engine_context' | 'dma_engine_bind' | 'dma_engine_unbind' | 'dma_engine_submit'
  | 'dma_engine_resubmit' | 'dma_engine_stop' | 'dma_engine_submit_marker'>;

export interface EngineOptions {
  /** Speculative read-ahead after each job (hardware prefetch not covered by any fence). */
  readonly speculative: boolean;
  /** Pages moved per scheduling point (a DMA burst; default 1: revoke can land between any two
   *  pages). Every page is still checked. */
  readonly burst?: number;
}

/** A new engine; returns its handle. */
export function dma_engine_create(t: Task): number {
  return kzalloc_words(t, DMA_ENGINE_WORDS, GFP_KERNEL, dma_engine_create);
}

/** A context on `engine` for one importer; the engine keeps running until every context stops. */
export function dma_engine_context(t: Task, engine: number): number {
  const c = kzalloc_words(t, DMA_ENGINE_CONTEXT_WORDS, GFP_KERNEL, dma_engine_context);
  priv_store(t, c + X_ENGINE, engine);
  Atomics.add(t.i32, privIndex(t, engine + E_LIVE), 1);
  return c;
}

/** Program the context's page table with mapping `handle` of `pages` pages. */
export function dma_engine_bind(t: Task, ctx: number, handle: number, pages: number): void {
  iommu_domain_install(t, ctx + X_DOMAIN, handle, pages);
}

/**
 * Tear the context's page table down: from now on the engine cannot reach the mapping. Busy-waits
 * for the bursts in flight through the context; one that never ends is SOFT_LOCKUP on `ctx`
 * titled after dma_engine_unbind (throws KernelOops).
 */
export function dma_engine_unbind(t: Task, ctx: number): void {
  iommu_domain_clear(t, ctx + X_DOMAIN, ctx, 'dma_engine_unbind');
}

/**
 * Device accesses through context `ctx` to pages first .. first + n − 1 of its mapping, checked
 * page by page (dma_engine_access_pages). The burst is atomic with respect to dma_engine_unbind:
 * unbind waits until it is over, as a hardware page-table zap completes only once the engine no
 * longer uses the old entries. False when the burst faulted, the pages before the fault accessed
 * and none from it on: the context is (now) unbound, or the burst ran past the end of the
 * installed translation (iommu_domain_dma).
 */
function accessBurst(t: Task, ctx: number, first: number, n: number, write: boolean, speculative: boolean): boolean {
  return iommu_domain_dma(t, ctx + X_DOMAIN, first, n, write, speculative);
}

/**
 * Queue a job over the context's whole mapping; `fence` is signaled when it completes. The job
 * holds its own reference to `fence` until then (dma_fence_get here, put after the signal), as a
 * kernel scheduler job does: the submitter may drop its reference as soon as it sees the signal.
 */
export function dma_engine_submit(t: Task, ctx: number, write: boolean, fence: Fence): number {
  return queueJob(t, ctx, write ? 1 : 0, iommu_domain_pages(t, ctx + X_DOMAIN), fence);
}

/** Fill a job row (JB_WRITE `kind`: 0 read, 1 write, JOB_MARKER) and queue it. */
function queueJob(t: Task, ctx: number, kind: number, pages: number, fence: Fence): number {
  const a = t.arena;
  const j = allocRow(a, C_NEXT_JOB, a.geometry.jobs, 'dma job');
  const b = a.job(j);
  const h = t.i32;
  h[b + JB_ENGINE] = priv_load(t, ctx + X_ENGINE);
  h[b + JB_IOVA] = ctx;
  h[b + JB_PAGES] = pages;
  h[b + JB_WRITE] = kind;
  h[b + JB_FENCE] = symbols(t, THIS_MODULE).dma_fence_get(t, fence);
  h[b + JB_RUN_FENCE] = -1;
  enqueue(t, b);
  return j;
}

/** JB_WRITE of a marker job (dma_engine_submit_marker): no pages, no read-ahead. */
const JOB_MARKER = 2;

/**
 * Queue a marker on the context's ring: `fence` is signaled when the engine reaches it, i.e.
 * once every job queued before it has completed — the context stopped at a job boundary (a
 * preemption request). Touches no page. Takes its own reference to `fence`. Any context,
 * including under a fence spinlock (nothing sleeps).
 */
export function dma_engine_submit_marker(t: Task, ctx: number, fence: Fence): number {
  return queueJob(t, ctx, JOB_MARKER, 0, fence);
}

/** Give the job at `b` the engine's next ticket, mark it queued and ring the doorbell. */
function enqueue(t: Task, b: number): void {
  const h = t.i32;
  const engine = h[b + JB_ENGINE]!;
  h[b + JB_SEQ] = Atomics.add(h, privIndex(t, engine + E_TICKET), 1);
  Atomics.store(h, b + JB_STATE, JOBS_QUEUED);
  ringDoorbell(t, engine);
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
  t.i32[b + JB_FENCE] = symbols(t, THIS_MODULE).dma_fence_get(t, fence);
  enqueue(t, b);
}

/** The engine actor: run queued jobs in submission order until every context has stopped. */
export function* dma_engine_run(t: Task, engine: number, opts: EngineOptions): KGen<void> {
  const bell = privIndex(t, engine + E_DOORBELL);
  for (;;) {
    const seen = Atomics.load(t.i32, bell);
    const job = nextJob(t, engine);
    if (job >= 0) { yield* runJob(t, job, opts); continue; }
    if (priv_load(t, engine + E_LIVE) <= 0) return;
    yield* wait_event(t, bell, seen, WS_DMA_ENGINE_RUN);
  }
}

/** The engine's queued job with the oldest ticket (tickets compared modulo 2^32), or -1. */
function nextJob(t: Task, engine: number): number {
  const a = t.arena;
  const h = t.i32;
  const n = Math.min(h[t.ctl + C_NEXT_JOB]!, a.geometry.jobs);
  let best = -1;
  let seq = 0;
  for (let j = 0; j < n; j++) {
    const b = a.job(j);
    if (h[b + JB_ENGINE] !== engine || Atomics.load(h, b + JB_STATE) !== JOBS_QUEUED) continue;
    const s = h[b + JB_SEQ]!;
    if (best < 0 || ((s - seq) | 0) < 0) { best = j; seq = s; }
  }
  return best;
}

/**
 * The job's completion interrupt: its handler signals the job's fence, so the fence's callbacks
 * (and whatever they take) run in hardirq context (kernel/hardirq.ts; lockdep marks the locks
 * taken there HARDIRQ-safe), as a GPU or DMA driver's IRQ handler signals its fences. The
 * interrupt is delivered on the engine's own task, between two of its scheduling points.
 */
function completionIrq(t: Task, k: KernelApi, fence: Fence): void {
  hardirq_enter(t);
  k.dma_fence_signal(t, fence);
  hardirq_exit(t);
}

/**
 * Run queued job `job` (engine actor): its fence becomes the run's (JB_RUN_FENCE) before the run's
 * first scheduling point, a `dma` point names the job before each burst, then the run's fence is
 * signaled and the job's reference to it put; with `opts.speculative`, a `dma-speculative` point
 * (still the run's, whatever a resubmit since wrote to JB_FENCE) and a read-ahead of the first
 * page.
 */
function* runJob(t: Task, job: number, opts: EngineOptions): KGen<void> {
  const h = t.i32;
  const b = t.arena.job(job);
  const ctx = h[b + JB_IOVA]!;
  const fence = h[b + JB_FENCE]! as Fence;
  h[b + JB_RUN_FENCE] = fence;
  t.mark(PH_DMA_JOB, MARK_BEGIN);
  Atomics.store(h, b + JB_STATE, JOBS_RUNNING);
  const burst = Math.max(1, opts.burst ?? 1);
  const pages = h[b + JB_PAGES]!;
  const write = h[b + JB_WRITE] === 1;
  for (let i = 0; i < pages; i += burst) {
    yield packOp(OP_DMA, job);
    if (!accessBurst(t, ctx, i, Math.min(burst, pages - i), write, false)) break;
  }
  t.mark(PH_DMA_JOB, MARK_END);
  Atomics.store(h, b + JB_STATE, JOBS_DONE);
  const k = symbols(t, THIS_MODULE);
  completionIrq(t, k, fence);
  k.dma_fence_put(t, fence);
  if (!opts.speculative || h[b + JB_WRITE] === JOB_MARKER) return;
  yield packOp(OP_DMA_SPECULATIVE, job);
  accessBurst(t, ctx, 0, 1, false, true);
}
