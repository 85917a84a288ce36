/**
 * The RDMA importer (drivers/infiniband/core/umem_dmabuf.c), pinned non-ODP flavour
 * (ib_umem_dmabuf_get_pinned): attach with peer2peer and NO invalidate_mappings (final) — or, in
 * the v3 posting, with the dma_buf_unsupported_invalidate_mappings stub that only warns — then pin
 * and map under the lock (map_pages waits for KERNEL fences); a failed registration is undone by
 * the same release as a deregistration (rdma_knobs.ts: the error path before its fix unpinned
 * twice). The NIC keeps DMAing until the MR is deregistered: invalidation cannot stop it.
 */
import { EINVAL, ETIMEDOUT } from '../errno/errno.js';
import { attachment_dmabuf, unsupportedInvalidate } from '../kernel/dma_buf_attach.js';
import { dma_buf_resv, dma_buf_size, type DmaBuf, type DmaBufAttachment } from '../kernel/dma_buf.js';
import { DMA_BIDIRECTIONAL, registerAttachOps } from '../kernel/dma_buf_ops.js';
import { DMA_RESV_USAGE_KERNEL } from '../kernel/dma_resv.js';
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import type { Task } from '../kernel/task.js';
import { MAX_SCHEDULE_TIMEOUT, type KGen } from '../kernel/types.js';
import type { DmaEngineSymbols } from './dma_engine.js';
import { RDMA_FIXED, type RdmaKnobs } from './rdma_knobs.js';

const THIS_MODULE = moduleRef<KernelApi & DmaEngineSymbols>('ib_uverbs');

/** Private words a pinned MR allocates: none (its state is the engine context it is given). */
export const RDMA_PINNED_MR_WORDS = 0;

export const RDMA_PINNED_OPS = registerAttachOps('ib_umem_dmabuf_attach_pinned_ops', { allow_peer2peer: true });
/**
 * The v3 ops: invalidate_mappings is the stub's own address (the posted core compares against
 * it), so it is registered statically with the implementation behind the v3 symbol
 * dma_buf_unsupported_invalidate_mappings (a weak reference of ib_uverbs, modules.ts);
 * rdma_pinned_mr_run installs these ops only when this module's table resolved that symbol,
 * i.e. on a v3 kernel.
 */
export const RDMA_PINNED_OPS_V3 = registerAttachOps('ib_umem_dmabuf_attach_pinned_ops_v3', {
  allow_peer2peer: true, invalidate_mappings: unsupportedInvalidate,
});

/**
 * The registering actor's struct ib_umem_dmabuf: the attachment, the mapping (0: none), `pinned`
 * and `revoked`. Only that actor reads or writes it (the pinned ops have no invalidate callback
 * that would; the v3 stub only warns), so it lives in the actor, not in private words.
 */
interface UmemDmabuf { readonly at: DmaBufAttachment; sgt: number; pinned: boolean; revoked: boolean }

/**
 * ib_umem_dmabuf_get_pinned + MR use + ib_umem_release: attach, pin and map at registration (the
 * error path as `knobs.mapFailure` says), run `jobs` NIC transfers through engine context `ctx`
 * (not fenced in the resv: RDMA has no fences), then ib_umem_dmabuf_release: unmap, unpin and
 * detach. Returns 0 or the registration error. Context: process, no locks held.
 */
export function* rdma_pinned_mr_run(
  t: Task, db: DmaBuf, dev: number, ctx: number, engineActor: number, jobs: number, knobs: RdmaKnobs = RDMA_FIXED,
): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  const ops = k.dma_buf_unsupported_invalidate_mappings === undefined ? RDMA_PINNED_OPS : RDMA_PINNED_OPS_V3;
  const at = yield* k.dma_buf_dynamic_attach(t, db, dev, ops);
  if (at < 0) { k.dma_engine_stop(t, ctx); return at; }
  const umem: UmemDmabuf = { at: at as DmaBufAttachment, sgt: 0, pinned: false, revoked: false };
  const ret = yield* pinAndMap(t, umem, knobs);
  if (ret === 0) {
    k.dma_engine_bind(t, ctx, umem.sgt, dma_buf_size(t, db));
    yield* nicTransfers(t, ctx, engineActor, jobs);
    k.dma_engine_unbind(t, ctx);
  }
  yield* umemRelease(t, umem);
  k.dma_engine_stop(t, ctx);
  return ret;
}

/**
 * The locked part of ib_umem_dmabuf_get_pinned_with_dma_device: pin, set `pinned`, map_pages; on
 * a map failure the 'unpin-then-release' knob unpins here (err_unpin) before the caller's release
 * unpins again. Returns 0 or -errno; the caller releases the umem either way.
 */
function* pinAndMap(t: Task, umem: UmemDmabuf, knobs: RdmaKnobs): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  const resv = dma_buf_resv(t, attachment_dmabuf(t, umem.at));
  yield* k.dma_resv_lock(t, resv, null);
  let err = yield* k.dma_buf_pin(t, umem.at);
  if (err === 0) {
    umem.pinned = true;
    err = yield* mapPages(t, umem);
    if (err < 0 && knobs.mapFailure === 'unpin-then-release') yield* k.dma_buf_unpin(t, umem.at);
  }
  k.dma_resv_unlock(t, resv);
  return err;
}

/**
 * ib_umem_dmabuf_map_pages (resv held): -EINVAL once revoked; map unless mapped already, then wait
 * for KERNEL fences (uninterruptible): a negative result is returned, 0 is -ETIMEDOUT. A failed
 * wait keeps the mapping: the release unmaps it.
 */
function* mapPages(t: Task, umem: UmemDmabuf): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  if (umem.revoked) return -EINVAL;
  if (umem.sgt === 0) {
    const sgt = yield* k.dma_buf_map_attachment(t, umem.at, DMA_BIDIRECTIONAL);
    if (sgt < 0) return sgt;
    umem.sgt = sgt;
  }
  const resv = dma_buf_resv(t, attachment_dmabuf(t, umem.at));
  const w = yield* k.dma_resv_wait_timeout(t, resv, DMA_RESV_USAGE_KERNEL, false, MAX_SCHEDULE_TIMEOUT);
  return w > 0 ? 0 : w < 0 ? w : -ETIMEDOUT;
}

/**
 * ib_umem_dmabuf_release: ib_umem_dmabuf_revoke under the resv lock (once: unmap_pages, unpin if
 * `pinned`, then `revoked`), then detach (unlocked).
 */
function* umemRelease(t: Task, umem: UmemDmabuf): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const db = attachment_dmabuf(t, umem.at);
  const resv = dma_buf_resv(t, db);
  yield* k.dma_resv_lock(t, resv, null);
  if (!umem.revoked) {
    if (umem.sgt !== 0) yield* k.dma_buf_unmap_attachment(t, umem.at, umem.sgt, DMA_BIDIRECTIONAL);
    umem.sgt = 0;
    if (umem.pinned) yield* k.dma_buf_unpin(t, umem.at);
    umem.pinned = false;
    umem.revoked = true;
  }
  k.dma_resv_unlock(t, resv);
  yield* k.dma_buf_detach(t, db, umem.at);
}

/** RDMA READ/WRITE operations on the MR: the NIC's DMA, completions tracked privately. */
function* nicTransfers(t: Task, ctx: number, engineActor: number, jobs: number): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const fctx = k.dma_fence_context_alloc(t, 1);
  for (let j = 1; j <= jobs; j++) {
    const done = k.dma_fence_init(t, fctx, j, { signaler: engineActor });
    k.dma_engine_submit(t, ctx, true, done);
    yield* k.dma_fence_wait(t, done, false);
    k.dma_fence_put(t, done);
  }
}
