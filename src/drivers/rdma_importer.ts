/**
 * The RDMA importer (drivers/infiniband/core/umem_dmabuf.c), pinned non-ODP flavour
 * (ib_umem_dmabuf_get_pinned): attach with peer2peer and NO invalidate_mappings (final) — or, in
 * the v3 posting, with the dma_buf_unsupported_invalidate_mappings stub that only warns — then pin
 * and map under the lock (map_pages waits for KERNEL fences). The NIC keeps DMAing until the MR is
 * deregistered: invalidation cannot stop it.
 */
import { ETIMEDOUT } from '../errno/errno.js';
import { attachment_dmabuf, unsupportedInvalidate } from '../kernel/dma_buf_attach.js';
import { dma_buf_resv, dma_buf_size, type DmaBuf, type DmaBufAttachment } from '../kernel/dma_buf.js';
import { DMA_BIDIRECTIONAL, registerAttachOps } from '../kernel/dma_buf_ops.js';
import { DMA_RESV_USAGE_KERNEL } from '../kernel/dma_resv.js';
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import type { Task } from '../kernel/task.js';
import { MAX_SCHEDULE_TIMEOUT, type KGen } from '../kernel/types.js';
import type { DmaEngineSymbols } from './dma_engine.js';

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
 * ib_umem_dmabuf_get_pinned + MR use + ib_umem_dmabuf_release: pin and map at registration, run
 * `jobs` NIC transfers through engine context `ctx` (not fenced in the resv: RDMA has no fences),
 * then unmap, unpin and detach. Returns 0 or the registration error.
 */
export function* rdma_pinned_mr_run(t: Task, db: DmaBuf, dev: number, ctx: number, engineActor: number, jobs: number): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  const ops = k.dma_buf_unsupported_invalidate_mappings === undefined ? RDMA_PINNED_OPS : RDMA_PINNED_OPS_V3;
  const at = yield* k.dma_buf_dynamic_attach(t, db, dev, ops);
  if (at < 0) { k.dma_engine_stop(t, ctx); return at; }
  const resv = dma_buf_resv(t, db);
  yield* k.dma_resv_lock(t, resv, null);
  let ret = yield* k.dma_buf_pin(t, at as DmaBufAttachment);
  const sgt = ret === 0 ? yield* mapPages(t, at as DmaBufAttachment) : ret;
  if (ret === 0 && sgt < 0) yield* k.dma_buf_unpin(t, at as DmaBufAttachment);
  k.dma_resv_unlock(t, resv);
  if (sgt > 0) {
    k.dma_engine_bind(t, ctx, sgt, dma_buf_size(t, db));
    yield* nicTransfers(t, ctx, engineActor, jobs);
    k.dma_engine_unbind(t, ctx);
    yield* k.dma_resv_lock(t, resv, null);
    yield* k.dma_buf_unmap_attachment(t, at as DmaBufAttachment, sgt, DMA_BIDIRECTIONAL);
    yield* k.dma_buf_unpin(t, at as DmaBufAttachment);
    k.dma_resv_unlock(t, resv);
  } else ret = sgt;
  yield* k.dma_buf_detach(t, db, at as DmaBufAttachment);
  k.dma_engine_stop(t, ctx);
  return ret;
}

/** ib_umem_dmabuf_map_pages: map, then wait for KERNEL fences; 0 from the wait is -ETIMEDOUT. */
function* mapPages(t: Task, at: DmaBufAttachment): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  const sgt = yield* k.dma_buf_map_attachment(t, at, DMA_BIDIRECTIONAL);
  if (sgt <= 0) return sgt;
  const db = attachment_dmabuf(t, at);
  const w = yield* k.dma_resv_wait_timeout(t, dma_buf_resv(t, db), DMA_RESV_USAGE_KERNEL, false, MAX_SCHEDULE_TIMEOUT);
  if (w > 0) return sgt;
  yield* k.dma_buf_unmap_attachment(t, at, sgt, DMA_BIDIRECTIONAL);
  return w < 0 ? w : -ETIMEDOUT;
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
