/**
 * The dma-buf's sync_file ioctls (drivers/dma-buf/dma-buf.c).
 *
 * DMA_BUF_IOCTL_IMPORT_SYNC_FILE (dma_buf_import_sync_file): add the fences of a sync_file to a
 * dma-buf's reservation object as its implicit fences — WRITE usage with DMA_BUF_SYNC_WRITE, else
 * READ —, each leaf of a container separately: one slot reserved per leaf, then every leaf added,
 * all under the resv lock (taken without a context).
 *
 * DMA_BUF_IOCTL_EXPORT_SYNC_FILE (dma_buf_export_sync_file): the implicit fences a new access
 * must wait for, as one fence in a new sync_file — no lock (dma_resv_get_singleton's lockless
 * walk).
 *
 * The sync_file stands as the fence it holds (sync_file_get_fence: the import takes its own
 * reference and puts it at the end; the caller keeps its own. sync_file_create: the export's
 * sync_file holds one reference, which the caller owns and puts — the file's last fput).
 * Context: process context (an ioctl); the import sleeps on the resv lock, the export allocates
 * (GFP_KERNEL).
 */
import { EINVAL } from '../errno/errno.js';
import { dma_buf_check, dma_buf_resv, type DmaBuf } from './dma_buf.js';
import { NULL_FENCE } from './dma_fence_init.js';
import { dma_fence_get, dma_fence_get_stub, dma_fence_put } from './dma_fence_ref.js';
import { dma_fence_unwrap_for_each } from './dma_fence_unwrap.js';
import {
  DMA_RESV_USAGE_READ, DMA_RESV_USAGE_WRITE, dma_resv_add_fence, dma_resv_reserve_fences, dma_resv_usage_rw,
} from './dma_resv.js';
import { dma_resv_lock, dma_resv_unlock } from './dma_resv_lock.js';
import { dma_resv_get_singleton } from './dma_resv_query.js';
import { GFP_KERNEL } from './gfp.js';
import { might_alloc } from './lockdep_map.js';
import type { Task } from './task.js';
import type { Fence, KGen } from './types.js';
import { uapiFlagsInvalid } from './uapi_flags.js';

/** include/uapi/linux/dma-buf.h: DMA_BUF_SYNC_READ / _WRITE / _RW. */
export const DMA_BUF_SYNC_READ = 1;
export const DMA_BUF_SYNC_WRITE = 2;
export const DMA_BUF_SYNC_RW = DMA_BUF_SYNC_READ | DMA_BUF_SYNC_WRITE;

/**
 * dma_buf_import_sync_file: 0, -EINVAL for `flags` (struct dma_buf_import_sync_file's __u32)
 * outside DMA_BUF_SYNC_RW or with neither bit — or no __u32 at all: a fraction, negative, above
 * 0xffffffff (uapi_flags.ts) —, or for a NULL fence (no sync_file), or dma_resv_reserve_fences'
 * error (nothing added then). A fence with no leaves adds nothing and takes no lock. A released
 * dma-buf is reported (DMABUF_USE_AFTER_FREE in dma_buf_import_sync_file) and -EINVAL returned.
 */
export function* dma_buf_import_sync_file(t: Task, db: DmaBuf, flags: number, fence: Fence): KGen<number> {
  if (uapiFlagsInvalid(flags, DMA_BUF_SYNC_RW) || (flags & DMA_BUF_SYNC_RW) === 0 || fence < 0) return -EINVAL;
  if (!dma_buf_check(t, db, 'dma_buf_import_sync_file')) return -EINVAL;
  const f = dma_fence_get(t, fence);
  const usage = (flags & DMA_BUF_SYNC_WRITE) !== 0 ? DMA_RESV_USAGE_WRITE : DMA_RESV_USAGE_READ;
  let num = 0;
  dma_fence_unwrap_for_each(t, f, () => { num++; });
  let ret = 0;
  if (num > 0) {
    const resv = dma_buf_resv(t, db);
    yield* dma_resv_lock(t, resv, null);
    ret = dma_resv_reserve_fences(t, resv, num);
    if (ret === 0) dma_fence_unwrap_for_each(t, f, (leaf) => dma_resv_add_fence(t, resv, leaf, usage));
    dma_resv_unlock(t, resv);
  }
  dma_fence_put(t, f);
  return ret;
}

/**
 * dma_buf_export_sync_file: the sync_file of the fences a new access waits for, standing as its
 * fence with the one reference the sync_file holds (the caller puts it), or -errno. `flags`
 * (struct dma_buf_export_sync_file's __u32) is refused as the import's: -EINVAL outside
 * DMA_BUF_SYNC_RW, with neither bit, or no __u32 at all. The usage is
 * dma_resv_usage_rw(flags & DMA_BUF_SYNC_WRITE) — READ for a write, which waits for readers and
 * writers, WRITE for a read, which waits for writers only. dma_resv_get_singleton then gives
 * none (the always-signalled stub fence instead, dma_fence_get_stub), the one unsignaled fence, or
 * a new dma_fence_array of several (own context) that signals once all have; its -ENOMEM is
 * returned with nothing held. A released dma-buf is reported (DMABUF_USE_AFTER_FREE in
 * dma_buf_export_sync_file) and -EINVAL returned. Allocations: dma_resv_get_fences' array when
 * the walk finds a fence (dma_resv_query.ts), dma_resv_get_singleton's dma_fence_array when it
 * found two or more (dma_fence_array_create's kzalloc, dma_fence_array.ts), then, once
 * dma_resv_get_singleton returned 0, sync_file_create's kzalloc(GFP_KERNEL), which always runs:
 * might_alloc at each (under a spinlock or with interrupts off SLEEP_IN_ATOMIC, titled after
 * might_alloc: one record, repeated at the later ones). Not modelled:
 * get_unused_fd_flags' -EMFILE (no fd table), sync_file_create's -ENOMEM (no allocation fault
 * injection), copy_to_user's -EFAULT.
 * Context: process context; takes no lock, may sleep (GFP_KERNEL allocations: might_alloc), no
 * scheduling point (the model's allocations never block).
 */
export function dma_buf_export_sync_file(t: Task, db: DmaBuf, flags: number): Fence | number {
  if (uapiFlagsInvalid(flags, DMA_BUF_SYNC_RW) || (flags & DMA_BUF_SYNC_RW) === 0) return -EINVAL;
  if (!dma_buf_check(t, db, 'dma_buf_export_sync_file')) return -EINVAL;
  const usage = dma_resv_usage_rw((flags & DMA_BUF_SYNC_WRITE) !== 0);
  const fence = { f: NULL_FENCE };
  const ret = dma_resv_get_singleton(t, dma_buf_resv(t, db), usage, fence);
  if (ret !== 0) return ret;
  might_alloc(t, GFP_KERNEL);
  return fence.f === NULL_FENCE ? dma_fence_get_stub(t) : fence.f;
}
