/**
 * A GPU exporter whose buffers move (the xe/TTM pattern): pin/unpin ops make the buffer dynamic
 * (dma_buf_is_dynamic), map_dma_buf maps the buffer's current pages for the exporting device, and
 * gpu_exporter_evict moves the buffer to new pages: invalidate every dynamic importer, wait for
 * every fence in the resv (BOOKKEEP: any unsignaled fence may mean device access), publish a
 * KERNEL move fence, copy, signal it and only then free the old pages. A pinned buffer is never
 * moved (-EBUSY). The copy runs under the resv lock (ttm_bo_move_memcpy) or, pipelined, after the
 * lock is dropped (ttm_bo_move_accel_cleanup): then only the KERNEL move fence tells a dynamic
 * importer that re-mapped the buffer when the new pages hold its contents (kernel-semantics §4.5:
 * the core does not wait for dynamic importers).
 *
 * Placement (as xe does for importers that cannot do peer-to-peer): an attachment without
 * peer2peer (a static importer, or a dynamic one without allow_peer2peer) makes the exporter keep
 * the buffer in system memory; mapping still works. Eviction also lands in system memory.
 *
 * Private state (driver-private words): dma-buf, device, knobs, pin count, placement, page count,
 * move fence context and seqno, counters (moves, map_dma_buf calls, live mappings), pages.
 * Locking: pin/unpin/map/unmap run with the resv lock held (by the core or the importer); attach,
 * detach and release run unlocked.
 */
import { EBUSY, ENOMEM } from '../errno/errno.js';
import { attachment_dmabuf, attachment_peer2peer } from '../kernel/dma_buf_attach.js';
import { dma_buf_priv, dma_buf_resv, type DmaBuf, type DmaBufAttachment } from '../kernel/dma_buf.js';
import { registerDmaBufOps } from '../kernel/dma_buf_ops.js';
import { DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_KERNEL } from '../kernel/dma_resv.js';
import { dma_map_sg, dma_unmap_sg } from '../kernel/iommu.js';
import { device_add, phys_alloc_pages, phys_free, phys_move_begin, phys_move_done } from '../kernel/memory.js';
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import { GFP_KERNEL } from '../kernel/gfp.js';
import { kzalloc_words, priv_load, priv_store } from '../kernel/priv.js';
import type { Task } from '../kernel/task.js';
import { MAX_SCHEDULE_TIMEOUT, type Fence, type KGen, type Resv } from '../kernel/types.js';
import { pageOffset } from '../shm/devmem.js';
import { putUnpublished } from '../kernel/put_unpublished.js';

const THIS_MODULE = moduleRef<KernelApi>('xe');

/** The exporter's knobs; the defaults (GPU_EXPORTER_FIXED) are the correct driver. */
export interface GpuExporterKnobs {
  /** Free the old pages of a move once every fence in the resv signaled (correct), or at once
   *  (importers' in-flight DMA then hits freed memory: use-after-free). */
  readonly freeOldPages: 'after-fences' | 'immediately';
  /** Evicting a pinned buffer: refuse with -EBUSY (correct), or move it anyway (a pinned
   *  importer, never notified, keeps using the old pages). */
  readonly evictPinned: 'ebusy' | 'move-anyway';
  /** Copy under the resv lock (memcpy), or after unlocking, guarded by the KERNEL move fence
   *  until it signals (pipelined, the accelerated TTM move). Both are correct exporters. */
  readonly move: 'memcpy' | 'pipelined';
}

export const GPU_EXPORTER_FIXED: GpuExporterKnobs = { freeOldPages: 'after-fences', evictPinned: 'ebusy', move: 'memcpy' };

/** Where the buffer lives. */
export const PL_VRAM = 0;
export const PL_SYSTEM = 1;

const X_DB = 0;
const X_DEV = 1;
const X_KNOBS = 2;
const X_PINS = 3;
const X_PLACEMENT = 4;
const X_NPAGES = 5;
const X_FCTX = 6;
const X_SEQ = 7;
const X_MOVES = 8;
const X_MAPS = 9;
const X_LIVE = 10;
const X_PAGES = 11;
const MAX_PAGES = 8;

function packKnobs(k: GpuExporterKnobs): number {
  return +(k.freeOldPages === 'immediately') | (+(k.evictPinned === 'move-anyway') << 1) | (+(k.move === 'pipelined') << 2);
}

function knobsOf(t: Task, xp: number): GpuExporterKnobs {
  const w = priv_load(t, xp + X_KNOBS);
  return {
    freeOldPages: (w & 1) !== 0 ? 'immediately' : 'after-fences', evictPinned: (w & 2) !== 0 ? 'move-anyway' : 'ebusy',
    move: (w & 4) !== 0 ? 'pipelined' : 'memcpy',
  };
}

/** The buffer's current pages. Stable while the resv lock is held. */
export function gpu_exporter_pages(t: Task, xp: number): number[] {
  return Array.from({ length: priv_load(t, xp + X_NPAGES) }, (_, i) => priv_load(t, xp + X_PAGES + i));
}

/** PL_VRAM or PL_SYSTEM. */
export function gpu_exporter_placement(t: Task, xp: number): number {
  return priv_load(t, xp + X_PLACEMENT);
}

/** Counters for reports and tests: pins, completed moves, map_dma_buf calls, live mappings. */
export function gpu_exporter_stats(t: Task, xp: number): { pins: number; moves: number; maps: number; live: number } {
  return {
    pins: priv_load(t, xp + X_PINS), moves: priv_load(t, xp + X_MOVES),
    maps: priv_load(t, xp + X_MAPS), live: priv_load(t, xp + X_LIVE),
  };
}

const privOf = (t: Task, at: number): number => dma_buf_priv(t, attachment_dmabuf(t, at as DmaBufAttachment));

/** attach (unlocked): an importer without peer2peer keeps the buffer in system memory. */
function* gpuAttach(t: Task, db: number, at: number): KGen<number> {
  if (!attachment_peer2peer(t, at as DmaBufAttachment)) priv_store(t, dma_buf_priv(t, db as DmaBuf) + X_PLACEMENT, PL_SYSTEM);
  return 0;
}

/** pin (locked): the buffer stays where it is until the last unpin. */
function* gpuPin(t: Task, at: number): KGen<number> {
  const xp = privOf(t, at);
  priv_store(t, xp + X_PINS, priv_load(t, xp + X_PINS) + 1);
  return 0;
}

function* gpuUnpin(t: Task, at: number): KGen<void> {
  const xp = privOf(t, at);
  priv_store(t, xp + X_PINS, priv_load(t, xp + X_PINS) - 1);
}

/** map_dma_buf (locked): map the current pages for the exporting device; handle or -ENOMEM. */
function* gpuMap(t: Task, at: number): KGen<number> {
  const xp = privOf(t, at);
  const handle = dma_map_sg(t, priv_load(t, xp + X_DEV), at, gpu_exporter_pages(t, xp));
  if (handle <= 0) return handle < 0 ? handle : -ENOMEM;
  priv_store(t, xp + X_MAPS, priv_load(t, xp + X_MAPS) + 1);
  priv_store(t, xp + X_LIVE, priv_load(t, xp + X_LIVE) + 1);
  return handle;
}

/** unmap_dma_buf (locked): unmap the DMA addresses of mapping `sgt` (whatever pages they name). */
function* gpuUnmap(t: Task, at: number, sgt: number): KGen<void> {
  const xp = privOf(t, at);
  dma_unmap_sg(t, priv_load(t, xp + X_DEV), sgt, priv_load(t, xp + X_NPAGES));
  priv_store(t, xp + X_LIVE, priv_load(t, xp + X_LIVE) - 1);
}

/** release (unlocked, last file reference): free the backing pages. */
function* gpuRelease(t: Task, db: number): KGen<void> {
  for (const p of gpu_exporter_pages(t, dma_buf_priv(t, db as DmaBuf))) phys_free(t, p);
}

export const GPU_EXPORTER_OPS = registerDmaBufOps('xe_dmabuf_ops', {
  attach: gpuAttach, pin: gpuPin, unpin: gpuUnpin, map_dma_buf: gpuMap, unmap_dma_buf: gpuUnmap, release: gpuRelease,
});

/**
 * Export a new `npages`-page buffer (at most 8) in VRAM on a new device. Context: setup or any
 * task, no locks held. Returns the dma-buf and the exporter's private handle, or -ENOMEM when
 * the pages cannot be had: those taken are given back (phys_alloc_pages) and the new dma-buf's
 * only reference is dropped — its release frees no page, as it never got any — so nothing of
 * the failed export stays live.
 */
export function gpu_exporter_create(t: Task, npages: number, knobs: GpuExporterKnobs = GPU_EXPORTER_FIXED): { db: DmaBuf; xp: number } | number {
  const k = symbols(t, THIS_MODULE);
  const n = Math.min(npages, MAX_PAGES);
  const xp = kzalloc_words(t, X_PAGES + MAX_PAGES, GFP_KERNEL, gpu_exporter_create);
  priv_store(t, xp + X_DEV, device_add(t));
  priv_store(t, xp + X_KNOBS, packKnobs(knobs));
  priv_store(t, xp + X_NPAGES, n);
  priv_store(t, xp + X_FCTX, k.dma_fence_context_alloc(t, 1));
  const db = k.dma_buf_export(t, { ops: GPU_EXPORTER_OPS, size: n, priv: xp, owner: THIS_MODULE });
  if (db < 0) return db;
  priv_store(t, xp + X_DB, db);
  const pages = phys_alloc_pages(t, db, n);
  if (typeof pages === 'number') {
    priv_store(t, xp + X_NPAGES, 0);
    putUnpublished(k.dma_buf_put(t, db as DmaBuf));
    return pages;
  }
  pages.forEach((p, i) => priv_store(t, xp + X_PAGES + i, p));
  return { db: db as DmaBuf, xp };
}

/**
 * Evict (move) the buffer: takes the resv lock (the caller must not hold it). Returns 0, -EBUSY
 * when pinned, or -ENOMEM (fence slot or pages). memcpy: gpu_exporter_evict_locked. pipelined:
 * the same steps, but the copy — page by page, the new pages held as moving (phys_move_begin)
 * until it is over — runs after the unlock; then the move fence signals and the old pages are
 * freed (TTM's ghost object). The evicting task stands for the copy engine.
 */
export function* gpu_exporter_evict(t: Task, db: DmaBuf): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  const xp = dma_buf_priv(t, db);
  const resv = dma_buf_resv(t, db);
  yield* k.dma_resv_lock(t, resv, null);
  if (knobsOf(t, xp).move === 'memcpy') {
    const ret = yield* gpu_exporter_evict_locked(t, db);
    k.dma_resv_unlock(t, resv);
    return ret;
  }
  const m = yield* startMove(t, db, true);
  k.dma_resv_unlock(t, resv);
  if (typeof m === 'number') return m;
  yield* finishMove(t, xp, m);
  return 0;
}

/**
 * ttm_bo_evict with the resv lock held (checked), copying under it: startMove, then finishMove.
 * Returns 0 or -errno.
 */
export function* gpu_exporter_evict_locked(t: Task, db: DmaBuf): KGen<number> {
  const m = yield* startMove(t, db, false);
  if (typeof m === 'number') return m;
  yield* finishMove(t, dma_buf_priv(t, db), m);
  return 0;
}

/** A move in progress: the pages it copies from and to, and its KERNEL fence (a reference). */
interface Move { readonly old: readonly number[]; readonly fresh: readonly number[]; readonly fence: Fence }

/**
 * The locked half of a move (resv lock held, checked): -EBUSY when pinned (nobody is notified);
 * reserve a fence slot and the new pages first (-ENOMEM, nothing changed); invalidate the dynamic
 * importers (dma_buf_invalidate_mappings, v3: dma_buf_move_notify — weak references of xe, one
 * resolves); wait (uninterruptible) for every fence in the resv — static importers are pinned, so
 * only dynamic ones can be mapped here, and their DMA is covered by those fences; publish the
 * KERNEL move fence; switch to the new pages (system memory), marked moving when `pipelined`.
 */
function* startMove(t: Task, db: DmaBuf, pipelined: boolean): KGen<Move | number> {
  const k = symbols(t, THIS_MODULE);
  const xp = dma_buf_priv(t, db);
  const resv = dma_buf_resv(t, db);
  k.dma_resv_assert_held(t, resv, 'gpu_exporter_evict');
  const knobs = knobsOf(t, xp);
  if (priv_load(t, xp + X_PINS) > 0 && knobs.evictPinned === 'ebusy') return -EBUSY;
  const ret = k.dma_resv_reserve_fences(t, resv, 1);
  if (ret < 0) return ret;
  const fresh = phys_alloc_pages(t, db, priv_load(t, xp + X_NPAGES));
  if (typeof fresh === 'number') return fresh;
  const invalidate = k.dma_buf_invalidate_mappings ?? k.dma_buf_move_notify!;
  yield* invalidate(t, db);
  if (knobs.freeOldPages === 'after-fences') yield* k.dma_resv_wait_timeout(t, resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
  const old = gpu_exporter_pages(t, xp);
  const fence = moveFence(t, xp, resv);
  fresh.forEach((p, i) => {
    if (pipelined) phys_move_begin(t, p);
    priv_store(t, xp + X_PAGES + i, p);
  });
  priv_store(t, xp + X_PLACEMENT, PL_SYSTEM);
  return { old, fresh, fence };
}

/** The copy (a scheduling point per page); the new pages are the buffer's; signal; free the old. */
function* finishMove(t: Task, xp: number, m: Move): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  yield* copyPages(t, m.old, m.fresh);
  for (const p of m.fresh) phys_move_done(t, p);
  k.dma_fence_signal(t, m.fence);
  k.dma_fence_put(t, m.fence);
  for (const p of m.old) phys_free(t, p);
  priv_store(t, xp + X_MOVES, priv_load(t, xp + X_MOVES) + 1);
}

/** The move's fence, published with KERNEL usage in the slot reserved by the caller. */
function moveFence(t: Task, xp: number, resv: Resv): Fence {
  const k = symbols(t, THIS_MODULE);
  const seq = priv_load(t, xp + X_SEQ) + 1;
  priv_store(t, xp + X_SEQ, seq);
  const f = k.dma_fence_init(t, priv_load(t, xp + X_FCTX), seq);
  k.dma_resv_add_fence(t, resv, f, DMA_RESV_USAGE_KERNEL);
  return f;
}

/** The copy engine's work, done inline: page contents (when modelled) old → new. */
function* copyPages(t: Task, from: readonly number[], to: readonly number[]): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  for (let i = 0; i < to.length; i++) {
    yield* k.cond_resched(t, to[i]!);
    const m = t.devmem;
    if (m !== undefined) m.copy(pageOffset(m, to[i]!), pageOffset(m, from[i]!), m.pageBytes);
  }
}
