/**
 * Kernel virtual mappings and userspace mmap of a dma-buf: dma_buf_vmap/vunmap (refcounted; lock
 * required; `_unlocked` variants take it) and dma_buf_mmap (unlocked).
 */
import { EINVAL, EOVERFLOW } from '../errno/errno.js';
import { DB_OPS, DB_SIZE, DB_VMAP_COUNT } from '../shm/layout.js';
import { dma_buf_get, dma_buf_put, dma_buf_resv, type DmaBuf } from './dma_buf.js';
import { vma_check_fresh, vma_check_model_length, vma_check_owner, vma_mmap_unwind, vma_pages, vma_set_dmabuf, type Vma } from './cpu_mapping.js';
import { exporterOps, type DmaBufOps } from './dma_buf_ops.js';
import { dma_resv_assert_held, dma_resv_lock, dma_resv_unlock } from './dma_resv.js';
import type { Task } from './task.js';
import type { KGen } from './types.js';

/**
 * dma_buf_vmap: 0 or -errno; -EINVAL without a vmap op. Lock required. Only the first call (the
 * count at 0) reaches the exporter; its failure is returned after the kernel's
 * `if (WARN_ON_ONCE(ret)) return ret;` — DMABUF_VMAP_FAILED, once per trial (a patch posted in
 * December 2025 drops that WARN as a legitimate failure; the 7.0-era kernel modelled has it).
 */
export function* dma_buf_vmap(t: Task, db: DmaBuf): KGen<number> {
  dma_resv_assert_held(t, dma_buf_resv(t, db), 'dma_buf_vmap');
  const d = t.arena.dmabuf(db);
  const ops = exporterOps(t.i32[d + DB_OPS]!);
  if (ops.vmap === undefined) return -EINVAL;
  if (t.i32[d + DB_VMAP_COUNT] === 0) {
    const ret = yield* ops.vmap(t, db);
    if (ret < 0) { t.warnOnce('DMABUF_VMAP_FAILED', db); return ret; }
  }
  t.i32[d + DB_VMAP_COUNT]!++;
  return 0;
}

/**
 * dma_buf_vunmap: drop a vmap; the last one calls the exporter's vunmap. Lock required. Without a
 * vmap (the count is 0) it is the kernel's BUG_ON(!vmapping_counter): DMABUF_VUNMAP_UNDERFLOW
 * stops the task (Task.bug).
 */
export function* dma_buf_vunmap(t: Task, db: DmaBuf): KGen<void> {
  dma_resv_assert_held(t, dma_buf_resv(t, db), 'dma_buf_vunmap');
  const d = t.arena.dmabuf(db);
  if (t.i32[d + DB_VMAP_COUNT]! <= 0) t.bug('DMABUF_VUNMAP_UNDERFLOW', db);
  if (--t.i32[d + DB_VMAP_COUNT]! === 0) {
    const ops = exporterOps(t.i32[d + DB_OPS]!);
    if (ops.vunmap !== undefined) yield* ops.vunmap(t, db);
  }
}

export function* dma_buf_vmap_unlocked(t: Task, db: DmaBuf): KGen<number> {
  yield* dma_resv_lock(t, dma_buf_resv(t, db), null);
  const ret = yield* dma_buf_vmap(t, db);
  dma_resv_unlock(t, dma_buf_resv(t, db));
  return ret;
}

export function* dma_buf_vunmap_unlocked(t: Task, db: DmaBuf): KGen<void> {
  yield* dma_resv_lock(t, dma_buf_resv(t, db), null);
  yield* dma_buf_vunmap(t, db);
  dma_resv_unlock(t, dma_buf_resv(t, db));
}

/**
 * dma_buf_mmap: map the buffer from page `pgoff` into user vma `vma` (cpu_mapping.ts
 * vm_area_alloc; its length in pages is the mapping's). -EINVAL without an mmap op or beyond the
 * buffer; -EOVERFLOW when pgoff + the length overflows; else vma_set_file: the vma takes a file
 * reference on the buffer (get_file; the model's vma has no earlier vm_file to fput) and maps it,
 * and the exporter's mmap decides. 0: the vma holds that reference until vm_munmap
 * (vm_munmap.ts), so the buffer outlives every fd closed meanwhile. -errno, whichever check
 * failed: the vma is gone — the mmap caller's unwind (mmap_region's unmap_and_free_vma) fputs
 * the vm_file dma_buf_mmap returns with, then zaps what the exporter mapped and frees the vma;
 * the model has no caller's unwind, so it does both here in that order: dma_buf_put of the
 * reference it took (never the last while the caller holds the one it mmaps through, so it
 * releases nothing and is no scheduling point), then vma_mmap_unwind.
 *
 * The model links the vma to the buffer (vma_set_dmabuf) before the exporter's mmap runs, where
 * the kernel links it into the file's mapping (vma_link_file) only once mmap succeeded — a
 * departure on purpose: a revoke while the exporter's mmap runs zaps and stamps the vma, so a PTE
 * an exporter's mmap installs itself (remap_pfn_range, before the revoke's zap) is not missed. In
 * the kernel that zap would not see the vma, and such an exporter must exclude the revoke with
 * its own lock; the model does not find its lack (VFIO's mmap installs no PTE: its fault handler
 * does, under memory_lock).
 *
 * Unlocked; the caller holds a file reference and owns the vma (vma_check_owner: another actor's
 * vma throws ERR_SCENARIO before anything is read or written — the kernel's mmap has no way to
 * name it, and the owner alone writing the row is the model's mmap_lock). A range the core
 * accepts but longer than the model's PTEs (VMA_MAX_PTES), or a vma mmapped before
 * (vma_check_fresh), throws ERR_SCENARIO.
 */
export function* dma_buf_mmap(t: Task, db: DmaBuf, vma: Vma, pgoff: number): KGen<number> {
  vma_check_owner(t, vma, 'dma_buf_mmap');
  vma_check_fresh(t, vma);
  const mmap = mmapOp(t, db, vma, pgoff);
  if (typeof mmap === 'number') {
    vma_mmap_unwind(t, vma);
    return mmap;
  }
  vma_set_dmabuf(t, vma, dma_buf_get(t, db), pgoff);
  const ret = yield* mmap(t, db, vma);
  if (ret < 0) {
    yield* dma_buf_put(t, db);
    vma_mmap_unwind(t, vma);
  }
  return ret;
}

/** dma_buf_mmap's checks of the range before the exporter is asked: its mmap op, or -errno. */
function mmapOp(t: Task, db: DmaBuf, vma: Vma, pgoff: number): NonNullable<DmaBufOps['mmap']> | number {
  const d = t.arena.dmabuf(db);
  const ops = exporterOps(t.i32[d + DB_OPS]!);
  const pages = vma_pages(t, vma);
  if (ops.mmap === undefined) return -EINVAL;
  if (pgoff + pages > 0x7fffffff || pgoff < 0 || pages < 0) return -EOVERFLOW;
  if (pgoff + pages > t.i32[d + DB_SIZE]!) return -EINVAL;
  vma_check_model_length(t, vma);
  return ops.mmap;
}
