/**
 * The stress importer: a dynamic importer in the pattern of drivers/gpu_importer.ts (invalidate
 * only marks the mapping stale; the importer's own loop later unbinds its engine context and
 * unmaps), made to run until told to stop and to keep the engine busy:
 *
 * - `depth` jobs in flight, each slot on its own fence context (a timeline of its own, so a
 *   newer fence never replaces an older unsignaled one in the dma-buf's reservation);
 * - completions reaped `reap` at a time (interrupt coalescing): the importer sleeps on the newest
 *   of the `reap` oldest jobs — its engine context runs jobs in submission order, so the older
 *   ones are done too — then retires and resubmits all of them;
 * - every job covers a window of `window.pages` pages of the mapping starting at `window.offset`,
 *   and writes it unless its fence's usage is READ (then it only reads it);
 * - submission locks the importer's own VM reservation and the dma-buf's with one acquire
 *   context (the drm_exec pattern), backing off on -EDEADLK with lock_slow;
 * - a map that fails while the buffer is revoked (-ENODEV) is retried after a usleep_range that
 *   starts at RETRY_MIN_US and doubles up to RETRY_MAX_US: the exporter un-revokes within
 *   microseconds of the last unmap (a jiffy-long msleep left the engine idle for a millisecond
 *   per revoke), while many importers retrying at the shortest interval would crowd the
 *   exporter's un-revoke off the reservation lock.
 *
 * Actor-local state (the mapping, the job slots) is touched only by this actor; the stale flag is
 * a driver-private word the exporter's invalidate sets under the dma-buf's reservation lock.
 */
import { EDEADLK, EINVAL } from '../../src/errno/errno.js';
import {
  DMA_BIDIRECTIONAL, RESERVATION_WW_CLASS, attachment_importer_priv, dma_buf_detach, dma_buf_dynamic_attach,
  dma_buf_map_attachment, dma_buf_pin, dma_buf_resv, dma_buf_unmap_attachment, dma_buf_unpin, dma_fence_context_alloc,
  dma_fence_init, dma_fence_put, dma_fence_wait, dma_resv_add_fence, dma_resv_lock, dma_resv_lock_slow,
  GFP_KERNEL, dma_resv_reserve_fences, dma_resv_unlock, kzalloc_words, priv_load, priv_store, registerAttachOps,
  usleep_range, ww_acquire_done, ww_acquire_fini, ww_acquire_init,
  type DmaBuf, type DmaBufAttachment, type DmaResvUsage, type Fence, type KGen, type Resv, type Task, type WwCtx,
} from '../../src/kernel/index.js';
import { dma_engine_bind, dma_engine_resubmit, dma_engine_stop, dma_engine_submit, dma_engine_unbind } from '../../src/drivers/dma_engine.js';
import { jobWrites } from './usage.js';

/** The first retry of a refused map waits this long (µs); each further one twice as long, up to
 *  RETRY_MAX_US (a jiffy). */
const RETRY_MIN_US = 50;
const RETRY_MAX_US = 1000;

/** Driver-private word: set by invalidate_mappings (resv lock held), cleared after a new map. */
const P_STALE = 0;

export const STRESS_IMPORTER_OPS = registerAttachOps('stress_importer_attach_ops', {
  allow_peer2peer: true,
  *invalidate_mappings(t: Task, at: number): KGen<void> {
    priv_store(t, attachment_importer_priv(t, at as DmaBufAttachment) + P_STALE, 1);
  },
});

export interface StressImporterConfig {
  readonly db: DmaBuf;
  /** The importer's own reservation (its VM / page-table object). */
  readonly vm: Resv;
  /** Its context on a DMA engine (dma_engine_context), and the engine's actor (fence signaler). */
  readonly ctx: number;
  readonly engineActor: number;
  readonly dev: number;
  readonly window: { readonly offset: number; readonly pages: number };
  /** Each job's fence usage, which also says what the job does: under a READ fence it only reads
   *  the window (a READ fence promises no write), under any other it writes it. */
  readonly usage: DmaResvUsage;
  readonly depth: number;
  /** Jobs retired per wake-up (1..depth, a divisor of depth). */
  readonly reap: number;
  /** Pin the attachment while mapped (dma_buf_pin before map, unpin after unmap). */
  readonly pin: boolean;
  /** Submissions this importer may attempt in the trial, failed maps included (Infinity: until
   *  told to stop). Counting failures too bounds the retry loop for inline strategies that would
   *  otherwise let a retrying importer starve everyone else. */
  readonly jobBudget: number;
  /** True when the importer should wind down (stop request, or a budget ran out somewhere). */
  readonly stop: (t: Task) => boolean;
  /** Called once when this importer's budget runs out (the scenario then winds everyone down). */
  readonly exhausted: (t: Task) => void;
  /** Called once with the attach's result (0, or the exporter's -errno: the importer then stops). */
  readonly started?: (t: Task, err: number) => void;
}

interface State {
  readonly cfg: StressImporterConfig;
  readonly ip: number;
  readonly at: DmaBufAttachment;
  readonly fctx: number;
  /** Current mapping handle (0 = none). */
  sgt: number;
  /** The next retry's wait after a refused map (µs). */
  retryUs: number;
  seq: number;
  attempts: number;
  /** Per slot: the job row (-1 before the first submission) and the fence in flight (-1 none). */
  readonly jobs: number[];
  readonly fences: number[];
}

/** Attach, run jobs until told to stop, then wait for them, unmap and detach. */
export function* stress_importer_run(t: Task, cfg: StressImporterConfig): KGen<void> {
  const ip = kzalloc_words(t, 1, GFP_KERNEL, stress_importer_run);
  const at = yield* dma_buf_dynamic_attach(t, cfg.db, cfg.dev, STRESS_IMPORTER_OPS, ip);
  cfg.started?.(t, Math.min(at, 0));
  if (at < 0) { dma_engine_stop(t, cfg.ctx); return; }
  const st: State = {
    cfg, ip, at: at as DmaBufAttachment, fctx: dma_fence_context_alloc(t, cfg.depth), sgt: 0, retryUs: RETRY_MIN_US, seq: 0, attempts: 0,
    jobs: new Array<number>(cfg.depth).fill(-1), fences: new Array<number>(cfg.depth).fill(-1),
  };
  for (let k = 0; !cfg.stop(t); k = (k + cfg.reap) % cfg.depth) {
    yield* retireBatch(t, st, k);
    for (let x = k; x < k + cfg.reap && !cfg.stop(t); x++) {
      if ((yield* submit(t, st, x)) < 0) { yield* backOff(t, st); break; }
      st.retryUs = RETRY_MIN_US;
    }
  }
  for (let k = 0; k < cfg.depth; k++) yield* retire(t, st, k);
  const ctx = yield* lockAll(t, st);
  yield* unmapLocked(t, st);
  unlockAll(t, st, ctx);
  yield* dma_buf_detach(t, cfg.db, st.at);
  dma_engine_stop(t, cfg.ctx);
}

/** Wait before retrying a refused map: usleep_range over [retryUs, 2 · retryUs], then double it. */
function* backOff(t: Task, st: State): KGen<void> {
  yield* usleep_range(t, st.retryUs, 2 * st.retryUs);
  st.retryUs = Math.min(2 * st.retryUs, RETRY_MAX_US);
}

/** Retire slots k .. k + reap − 1, waiting on the newest job first (one wake-up for the batch). */
function* retireBatch(t: Task, st: State, k: number): KGen<void> {
  for (let x = k + st.cfg.reap - 1; x >= k; x--) yield* retire(t, st, x);
}

/** Wait for slot `k`'s job, if any, and drop the importer's reference to its fence. */
function* retire(t: Task, st: State, k: number): KGen<void> {
  const f = st.fences[k]!;
  if (f < 0) return;
  yield* dma_fence_wait(t, f as Fence, false);
  dma_fence_put(t, f as Fence);
  st.fences[k] = -1;
}

/**
 * Lock the VM and the dma-buf reservations with one acquire context, backing off on -EDEADLK
 * (release everything, lock_slow the contended one, retry the rest). Returns the context, which
 * unlockAll finishes.
 */
function* lockAll(t: Task, st: State): KGen<WwCtx> {
  const objs = [st.cfg.vm, dma_buf_resv(t, st.cfg.db)];
  const ctx = ww_acquire_init(t, RESERVATION_WW_CLASS);
  let contended = -1;
  for (;;) {
    if (contended >= 0) yield* dma_resv_lock_slow(t, objs[contended]!, ctx);
    let failed = -1;
    for (let i = 0; i < objs.length && failed < 0; i++) {
      if (i !== contended && (yield* dma_resv_lock(t, objs[i]!, ctx)) === -EDEADLK) failed = i;
    }
    if (failed < 0) break;
    for (let i = 0; i < objs.length; i++) if (i !== failed && (i < failed || i === contended)) dma_resv_unlock(t, objs[i]!);
    contended = failed;
  }
  ww_acquire_done(t, ctx);
  return ctx;
}

/** Unlock both reservations and end the acquire context. */
function unlockAll(t: Task, st: State, ctx: WwCtx): void {
  dma_resv_unlock(t, dma_buf_resv(t, st.cfg.db));
  dma_resv_unlock(t, st.cfg.vm);
  ww_acquire_fini(t, ctx);
}

/**
 * Map if needed (remapping a stale mapping), then queue slot `k`'s next job and publish its fence.
 * 0, or the map error (-ENODEV while revoked). Winds the trial down when a budget runs out.
 */
function* submit(t: Task, st: State, k: number): KGen<number> {
  const { cfg } = st;
  if (st.attempts >= cfg.jobBudget) { cfg.exhausted(t); return 0; }
  st.attempts++;
  const ctx = yield* lockAll(t, st);
  if (st.sgt !== 0 && priv_load(t, st.ip + P_STALE) !== 0) yield* unmapLocked(t, st);
  const err = st.sgt === 0 ? yield* mapLocked(t, st) : 0;
  if (err < 0) { unlockAll(t, st, ctx); return err; }
  const resv = dma_buf_resv(t, cfg.db);
  const ret = dma_resv_reserve_fences(t, resv, 1);
  if (ret < 0) { unlockAll(t, st, ctx); return ret; }
  const f = dma_fence_init(t, st.fctx + k, ++st.seq, { signaler: cfg.engineActor });
  dma_resv_add_fence(t, resv, f, cfg.usage);
  if (st.jobs[k]! < 0) st.jobs[k] = dma_engine_submit(t, cfg.ctx, jobWrites(cfg.usage), f);
  else dma_engine_resubmit(t, st.jobs[k]!, f);
  st.fences[k] = f;
  unlockAll(t, st, ctx);
  return 0;
}

/** Both locks held: pin (if asked) and map, then point the engine context at the window. */
function* mapLocked(t: Task, st: State): KGen<number> {
  const { cfg } = st;
  if (cfg.pin) {
    const p = yield* dma_buf_pin(t, st.at);
    if (p < 0) return p;
  }
  const sgt = yield* dma_buf_map_attachment(t, st.at, DMA_BIDIRECTIONAL);
  if (sgt <= 0) {
    if (cfg.pin) yield* dma_buf_unpin(t, st.at);
    return sgt < 0 ? sgt : -EINVAL;
  }
  st.sgt = sgt;
  priv_store(t, st.ip + P_STALE, 0);
  dma_engine_bind(t, cfg.ctx, sgt + cfg.window.offset, cfg.window.pages);
  return 0;
}

/** Both locks held: stop the engine reaching the mapping, unmap (and unpin) it. */
function* unmapLocked(t: Task, st: State): KGen<void> {
  if (st.sgt === 0) return;
  dma_engine_unbind(t, st.cfg.ctx);
  yield* dma_buf_unmap_attachment(t, st.at, st.sgt, DMA_BIDIRECTIONAL);
  if (st.cfg.pin) yield* dma_buf_unpin(t, st.at);
  st.sgt = 0;
}
