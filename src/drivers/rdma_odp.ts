/**
 * The mlx5 ODP dma-buf MR (drivers/infiniband/hw/mlx5/odp.c + core/umem_dmabuf.c): a dynamic,
 * revocable RDMA importer. Registration attaches with mlx5_ib_dmabuf_attach_ops (peer2peer and
 * invalidate_mappings) and faults the MR in; the invalidate callback (resv lock held by the
 * exporter) zaps the MR translation — the NIC can no longer reach the pages — and unmaps them,
 * synchronously; a NIC access to a zapped MR page-faults, and the fault handler re-maps under the
 * resv lock (ib_umem_dmabuf_map_pages: map, then wait KERNEL fences) and re-binds.
 *
 * The NIC is a DMA engine context; its transfers are not fenced in the resv (RDMA has no fences),
 * which is why the zap must be synchronous.
 *
 * Private state (driver-private words): attachment, dma-buf, mapping handle (0 = none), MR bound
 * (translation installed), umem revoked, MR live (umem->private), engine context, engine actor,
 * knobs, zaps, faults, stale (deferred-zap variant only), completion fence context and seqno, mkey
 * revoked (deregistration's mlx5_revoke_mr: no UMR may use the mkey after it).
 */
import { EFAULT, EINVAL, ETIMEDOUT } from '../errno/errno.js';
import { attachment_importer_priv } from '../kernel/dma_buf_attach.js';
import { dma_buf_resv, dma_buf_size, type DmaBuf, type DmaBufAttachment } from '../kernel/dma_buf.js';
import { DMA_BIDIRECTIONAL, registerAttachOps } from '../kernel/dma_buf_ops.js';
import { DMA_RESV_USAGE_KERNEL } from '../kernel/dma_resv.js';
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import { GFP_KERNEL } from '../kernel/gfp.js';
import { kzalloc_words, priv_load, priv_store } from '../kernel/priv.js';
import type { Task } from '../kernel/task.js';
import { MAX_SCHEDULE_TIMEOUT, type KGen, type Resv } from '../kernel/types.js';
import type { DmaEngineSymbols } from './dma_engine.js';

const THIS_MODULE = moduleRef<KernelApi & DmaEngineSymbols>('mlx5_ib');

/** The ODP MR's knobs; the defaults are the mlx5 driver with every fix. */
export interface RdmaOdpKnobs {
  /** Zap the translation and unmap inside the invalidate callback (mlx5), or only mark the MR
   *  stale and zap at the next NIC operation (the NIC keeps DMAing meanwhile: use-after-revoke). */
  readonly zap: 'in-callback' | 'deferred';
  /**
   * mlx5_ib_dereg_mr's revoke of the mkey: under the resv lock, clearing umem_dmabuf->private so
   * later invalidate callbacks do nothing ('revoke-locked', "RDMA/mlx5: Fix a race for DMABUF MR
   * which can lead to CQE with error"), or as before that fix (Fixes: e6fb246ccafb), without the
   * resv lock and leaving private set ('revoke-unlocked', S15): an exporter's invalidate between
   * the mkey's revoke and the umem's release posts its zap UMR on the revoked mkey
   * (MLX5_UMR_REVOKED_MKEY: the UMR QP completes with an error CQE).
   */
  readonly dereg: 'revoke-locked' | 'revoke-unlocked';
}

export const RDMA_ODP_MLX5: RdmaOdpKnobs = { zap: 'in-callback', dereg: 'revoke-locked' };

/** O_KNOBS bits. */
const K_ZAP_DEFERRED = 1;
const K_DEREG_UNLOCKED = 2;

const O_AT = 0;
const O_DB = 1;
const O_SGT = 2;
const O_BOUND = 3;
const O_REVOKED = 4;
const O_LIVE = 5;
const O_CTX = 6;
const O_ENGINE_ACTOR = 7;
const O_KNOBS = 8;
const O_ZAPS = 9;
const O_FAULTS = 10;
const O_STALE = 11;
const O_FCTX = 12;
const O_SEQ = 13;
const O_MKEY_REVOKED = 14;
const O_WORDS = 15;

/** Fault-and-retry rounds one NIC operation gets before giving up with -EFAULT. */
const TRANSFER_TRIES = 8;

const resvOf = (t: Task, mp: number): Resv => dma_buf_resv(t, priv_load(t, mp + O_DB) as DmaBuf);

/**
 * mlx5_ib_dmabuf_invalidate_cb (resv lock held by the exporter; checked): nothing to do unless
 * the MR is live and mapped; else zap and unmap now (or, deferred variant, only mark stale).
 */
function* mlx5_ib_dmabuf_invalidate_cb(t: Task, at: number): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const mp = attachment_importer_priv(t, at as DmaBufAttachment);
  k.dma_resv_assert_held(t, resvOf(t, mp), 'mlx5_ib_dmabuf_invalidate_cb');
  if (priv_load(t, mp + O_SGT) === 0 || priv_load(t, mp + O_LIVE) === 0) return;
  if ((priv_load(t, mp + O_KNOBS) & K_ZAP_DEFERRED) !== 0) { priv_store(t, mp + O_STALE, 1); return; }
  yield* zapLocked(t, mp, true);
}

export const RDMA_ODP_OPS = registerAttachOps('mlx5_ib_dmabuf_attach_ops', {
  allow_peer2peer: true, invalidate_mappings: mlx5_ib_dmabuf_invalidate_cb,
});

/**
 * mlx5r_umr_update_mr_pas(ZAP) + ib_umem_dmabuf_unmap_pages, resv lock held. `counted`: an
 * invalidation's zap (counted in O_ZAPS, which in-flight transfers watch), not deregistration's.
 * A zap UMR on an mkey deregistration revoked already completes with an error CQE
 * (MLX5_UMR_REVOKED_MKEY); the pages are unmapped all the same, as the callback does.
 */
function* zapLocked(t: Task, mp: number, counted: boolean): KGen<void> {
  if (priv_load(t, mp + O_MKEY_REVOKED) !== 0) t.warn('MLX5_UMR_REVOKED_MKEY', mp);
  if (unbindMkey(t, mp) && counted) priv_store(t, mp + O_ZAPS, priv_load(t, mp + O_ZAPS) + 1);
  yield* unmapPagesLocked(t, mp);
  priv_store(t, mp + O_STALE, 0);
}

/** ib_umem_dmabuf_unmap_pages (resv lock held): unmap the cached mapping, if any. */
function* unmapPagesLocked(t: Task, mp: number): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const sgt = priv_load(t, mp + O_SGT);
  if (sgt === 0) return;
  priv_store(t, mp + O_SGT, 0);
  yield* k.dma_buf_unmap_attachment(t, priv_load(t, mp + O_AT) as DmaBufAttachment, sgt, DMA_BIDIRECTIONAL);
}

/**
 * ib_umem_dmabuf_map_pages (resv lock held): -EINVAL once the umem is revoked (deregistration);
 * map unless a mapping is cached (the exporter's error, e.g. -ENODEV from a revoked VFIO buffer);
 * then wait for KERNEL fences (uninterruptible): < 0 is returned, 0 becomes -ETIMEDOUT. 0 on
 * success. A failed wait keeps the mapping cached, as the kernel does.
 */
function* mapPagesLocked(t: Task, mp: number): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  const resv = resvOf(t, mp);
  k.dma_resv_assert_held(t, resv, 'ib_umem_dmabuf_map_pages');
  if (priv_load(t, mp + O_REVOKED) !== 0) return -EINVAL;
  if (priv_load(t, mp + O_SGT) === 0) {
    const sgt = yield* k.dma_buf_map_attachment(t, priv_load(t, mp + O_AT) as DmaBufAttachment, DMA_BIDIRECTIONAL);
    if (sgt <= 0) return sgt < 0 ? sgt : -EINVAL;
    priv_store(t, mp + O_SGT, sgt);
  }
  const w = yield* k.dma_resv_wait_timeout(t, resv, DMA_RESV_USAGE_KERNEL, false, MAX_SCHEDULE_TIMEOUT);
  if (w < 0) return w;
  return w === 0 ? -ETIMEDOUT : 0;
}

/**
 * pagefault_dmabuf_mr: under the resv lock (taken here; the caller must not hold it), apply a
 * deferred zap if one is pending, map the pages and install the MR translation. 0 or -errno.
 */
export function* rdma_odp_pagefault(t: Task, mp: number): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  const resv = resvOf(t, mp);
  yield* k.dma_resv_lock(t, resv, null);
  if (priv_load(t, mp + O_STALE) !== 0) yield* zapLocked(t, mp, true);
  priv_store(t, mp + O_FAULTS, priv_load(t, mp + O_FAULTS) + 1);
  const ret = yield* mapPagesLocked(t, mp);
  if (ret === 0 && priv_load(t, mp + O_BOUND) === 0) {
    const db = priv_load(t, mp + O_DB) as DmaBuf;
    k.dma_engine_bind(t, priv_load(t, mp + O_CTX), priv_load(t, mp + O_SGT), dma_buf_size(t, db));
    priv_store(t, mp + O_BOUND, 1);
  }
  k.dma_resv_unlock(t, resv);
  return ret;
}

/**
 * mlx5_ib_reg_user_mr_dmabuf with ODP: attach `db` for NIC `dev` (unlocked), the NIC being engine
 * context `ctx` run by actor `engineActor`, with the knobs `over` changes (RDMA_ODP_MLX5 for the
 * rest), then fault the whole MR in. Returns the MR's private
 * handle, or -errno (attach or initial fault; the MR is then released and the context stopped).
 */
export function* rdma_odp_reg_mr(t: Task, db: DmaBuf, dev: number, ctx: number, engineActor: number, over: Partial<RdmaOdpKnobs> = {}): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  const knobs = { ...RDMA_ODP_MLX5, ...over };
  const mp = kzalloc_words(t, O_WORDS, GFP_KERNEL, rdma_odp_reg_mr);
  priv_store(t, mp + O_DB, db);
  priv_store(t, mp + O_CTX, ctx);
  priv_store(t, mp + O_ENGINE_ACTOR, engineActor);
  priv_store(t, mp + O_KNOBS, (knobs.zap === 'deferred' ? K_ZAP_DEFERRED : 0) | (knobs.dereg === 'revoke-unlocked' ? K_DEREG_UNLOCKED : 0));
  priv_store(t, mp + O_FCTX, k.dma_fence_context_alloc(t, 1));
  const at = yield* k.dma_buf_dynamic_attach(t, db, dev, RDMA_ODP_OPS, mp);
  if (at < 0) { k.dma_engine_stop(t, ctx); return at; }
  priv_store(t, mp + O_AT, at);
  priv_store(t, mp + O_LIVE, 1);
  const ret = yield* rdma_odp_pagefault(t, mp);
  if (ret < 0) { yield* rdma_odp_dereg_mr(t, mp); return ret; }
  return mp;
}

/**
 * One NIC operation over the whole MR (write or read), completion tracked privately: fault the
 * MR in when its translation is missing (a fault error is returned: -ENODEV once a VFIO buffer is
 * revoked), run the transfer, and when it was zapped meanwhile fault and run it again. 0, a fault
 * error, or -EFAULT after TRANSFER_TRIES rounds (the QP would go to error). Context: process, resv
 * lock not held.
 */
export function* rdma_odp_transfer(t: Task, mp: number, write: boolean): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  for (let i = 0; i < TRANSFER_TRIES; i++) {
    if (priv_load(t, mp + O_BOUND) === 0 || priv_load(t, mp + O_STALE) !== 0) {
      const ret = yield* rdma_odp_pagefault(t, mp);
      if (ret < 0) return ret;
    }
    const zaps = priv_load(t, mp + O_ZAPS);
    const seq = priv_load(t, mp + O_SEQ) + 1;
    priv_store(t, mp + O_SEQ, seq);
    const done = k.dma_fence_init(t, priv_load(t, mp + O_FCTX), seq, { signaler: priv_load(t, mp + O_ENGINE_ACTOR) });
    k.dma_engine_submit(t, priv_load(t, mp + O_CTX), write, done);
    yield* k.dma_fence_wait(t, done, false);
    k.dma_fence_put(t, done);
    if (priv_load(t, mp + O_ZAPS) === zaps) return 0;
  }
  return -EFAULT;
}

/**
 * mlx5_ib_dereg_mr + ib_umem_dmabuf_release: under the resv lock revoke the MR (zap its
 * translation, private = NULL, the mkey revoked) and the umem (unmap pages, revoked = 1,
 * idempotent); then detach (unlocked) and stop the NIC context. With the knob's 'revoke-unlocked'
 * the mkey is revoked first without the lock and private stays set (revokeMkeyUnlocked), the
 * umem's release following under the lock. Context: process, resv lock not held.
 */
export function* rdma_odp_dereg_mr(t: Task, mp: number): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const resv = resvOf(t, mp);
  const unlocked = (priv_load(t, mp + O_KNOBS) & K_DEREG_UNLOCKED) !== 0;
  if (unlocked) revokeMkeyUnlocked(t, mp);
  yield* k.dma_resv_lock(t, resv, null);
  if (unlocked) yield* unmapPagesLocked(t, mp);
  else {
    yield* zapLocked(t, mp, false);
    priv_store(t, mp + O_LIVE, 0);
    priv_store(t, mp + O_MKEY_REVOKED, 1);
  }
  priv_store(t, mp + O_REVOKED, 1);
  k.dma_resv_unlock(t, resv);
  yield* k.dma_buf_detach(t, priv_load(t, mp + O_DB) as DmaBuf, priv_load(t, mp + O_AT) as DmaBufAttachment);
  k.dma_engine_stop(t, priv_load(t, mp + O_CTX));
}

/**
 * mlx5_revoke_mr before the S15 fix: the mkey's translation is dropped and the mkey revoked
 * without the resv lock, and umem_dmabuf->private is left set — an invalidate callback that
 * runs before the umem's release still finds the MR live and mapped and zaps the revoked mkey.
 */
function revokeMkeyUnlocked(t: Task, mp: number): void {
  unbindMkey(t, mp);
  priv_store(t, mp + O_MKEY_REVOKED, 1);
}

/** Drop the mkey's translation (the NIC context's binding to the pages), if it has one; returns
 *  whether it had. Takes no lock: callers state theirs. */
function unbindMkey(t: Task, mp: number): boolean {
  if (priv_load(t, mp + O_BOUND) === 0) return false;
  symbols(t, THIS_MODULE).dma_engine_unbind(t, priv_load(t, mp + O_CTX));
  priv_store(t, mp + O_BOUND, 0);
  return true;
}

/** The MR's state for reports and tests. */
export function rdma_odp_state(t: Task, mp: number): { attach: number; mapped: boolean; bound: boolean; zaps: number; faults: number } {
  return {
    attach: priv_load(t, mp + O_AT), mapped: priv_load(t, mp + O_SGT) !== 0, bound: priv_load(t, mp + O_BOUND) !== 0,
    zaps: priv_load(t, mp + O_ZAPS), faults: priv_load(t, mp + O_FAULTS),
  };
}
