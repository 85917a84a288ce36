/**
 * A legacy static importer (dma_buf_attach, no importer ops): the core pins on map and waits for
 * KERNEL fences; it is never told about invalidation, so it keeps using its mapping until it is
 * done — the S5 use-after-revoke when an exporter lets it attach to revocable memory.
 */
import { dma_buf_resv, dma_buf_size, type DmaBuf, type DmaBufAttachment } from '../kernel/dma_buf.js';
import { DMA_BIDIRECTIONAL } from '../kernel/dma_buf_ops.js';
import { DMA_RESV_USAGE_WRITE } from '../kernel/dma_resv.js';
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import type { Task } from '../kernel/task.js';
import type { KGen, Resv } from '../kernel/types.js';
import type { DmaEngineSymbols } from './dma_engine.js';

const THIS_MODULE = moduleRef<KernelApi & DmaEngineSymbols>('videobuf2_dma_contig');

/** Private words a legacy importer allocates: none (its state is the engine context it is
 *  given). */
export const LEGACY_IMPORTER_WORDS = 0;

/**
 * Attach statically, map once, run `jobs` jobs through engine context `ctx` (fences published
 * with WRITE usage, implicit sync), then unmap and detach. Returns 0 or the attach/map error.
 */
export function* legacy_importer_run(t: Task, db: DmaBuf, dev: number, ctx: number, engineActor: number, jobs: number): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  const at = yield* k.dma_buf_attach(t, db, dev);
  if (at < 0) { k.dma_engine_stop(t, ctx); return at; }
  const resv = dma_buf_resv(t, db);
  yield* k.dma_resv_lock(t, resv, null);
  const sgt = yield* k.dma_buf_map_attachment(t, at as DmaBufAttachment, DMA_BIDIRECTIONAL);
  k.dma_resv_unlock(t, resv);
  if (sgt > 0) {
    k.dma_engine_bind(t, ctx, sgt, dma_buf_size(t, db));
    yield* runJobs(t, resv, ctx, engineActor, jobs);
    k.dma_engine_unbind(t, ctx);
    yield* k.dma_resv_lock(t, resv, null);
    yield* k.dma_buf_unmap_attachment(t, at as DmaBufAttachment, sgt, DMA_BIDIRECTIONAL);
    k.dma_resv_unlock(t, resv);
  }
  yield* k.dma_buf_detach(t, db, at as DmaBufAttachment);
  k.dma_engine_stop(t, ctx);
  return sgt < 0 ? sgt : 0;
}

/** `jobs` jobs, each fenced WRITE in `resv` (locked around the publish) and waited for. */
function* runJobs(t: Task, resv: Resv, ctx: number, engineActor: number, jobs: number): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const fctx = k.dma_fence_context_alloc(t, 1);
  for (let j = 1; j <= jobs; j++) {
    yield* k.dma_resv_lock(t, resv, null);
    if (k.dma_resv_reserve_fences(t, resv, 1) < 0) { k.dma_resv_unlock(t, resv); return; }
    const f = k.dma_fence_init(t, fctx, j, { signaler: engineActor });
    k.dma_resv_add_fence(t, resv, f, DMA_RESV_USAGE_WRITE);
    k.dma_engine_submit(t, ctx, true, f);
    k.dma_resv_unlock(t, resv);
    yield* k.dma_fence_wait(t, f, false);
    k.dma_fence_put(t, f);
  }
}
