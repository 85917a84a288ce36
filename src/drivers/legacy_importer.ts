/**
 * A legacy static importer (dma_buf_attach, no importer ops): the core pins on map and waits for
 * KERNEL fences; it is never told about invalidation, so it keeps using its mapping until it is
 * done — the S5 use-after-revoke when an exporter lets it attach to revocable memory.
 */
import { dma_buf_attach, dma_buf_detach } from '../kernel/dma_buf_attach.js';
import { dma_buf_resv, dma_buf_size, type DmaBuf, type DmaBufAttachment } from '../kernel/dma_buf.js';
import { dma_buf_map_attachment, dma_buf_unmap_attachment } from '../kernel/dma_buf_map.js';
import { DMA_BIDIRECTIONAL } from '../kernel/dma_buf_ops.js';
import { dma_fence_context_alloc, dma_fence_init, dma_fence_put } from '../kernel/dma_fence.js';
import { dma_fence_wait } from '../kernel/dma_fence_wait.js';
import {
  DMA_RESV_USAGE_WRITE, dma_resv_add_fence, dma_resv_lock, dma_resv_reserve_fences, dma_resv_unlock,
} from '../kernel/dma_resv.js';
import type { Task } from '../kernel/task.js';
import type { KGen } from '../kernel/types.js';
import { dma_engine_bind, dma_engine_stop, dma_engine_submit, dma_engine_unbind } from './dma_engine.js';

/**
 * Attach statically, map once, run `jobs` jobs through engine context `ctx` (fences published
 * with WRITE usage, implicit sync), then unmap and detach. Returns 0 or the attach/map error.
 */
export function* legacy_importer_run(t: Task, db: DmaBuf, dev: number, ctx: number, engineActor: number, jobs: number): KGen<number> {
  const at = yield* dma_buf_attach(t, db, dev);
  if (at < 0) { dma_engine_stop(t, ctx); return at; }
  const resv = dma_buf_resv(t, db);
  yield* dma_resv_lock(t, resv, null);
  const sgt = yield* dma_buf_map_attachment(t, at as DmaBufAttachment, DMA_BIDIRECTIONAL);
  dma_resv_unlock(t, resv);
  if (sgt > 0) {
    dma_engine_bind(t, ctx, sgt, dma_buf_size(t, db));
    const fctx = dma_fence_context_alloc(t, 1);
    for (let j = 1; j <= jobs; j++) {
      yield* dma_resv_lock(t, resv, null);
      if (dma_resv_reserve_fences(t, resv, 1) < 0) { dma_resv_unlock(t, resv); break; }
      const f = dma_fence_init(t, fctx, j, { signaler: engineActor });
      dma_resv_add_fence(t, resv, f, DMA_RESV_USAGE_WRITE);
      dma_engine_submit(t, ctx, true, f);
      dma_resv_unlock(t, resv);
      yield* dma_fence_wait(t, f, false);
      dma_fence_put(t, f);
    }
    dma_engine_unbind(t, ctx);
    yield* dma_resv_lock(t, resv, null);
    yield* dma_buf_unmap_attachment(t, at as DmaBufAttachment, sgt, DMA_BIDIRECTIONAL);
    dma_resv_unlock(t, resv);
  }
  yield* dma_buf_detach(t, db, at as DmaBufAttachment);
  dma_engine_stop(t, ctx);
  return sgt < 0 ? sgt : 0;
}
