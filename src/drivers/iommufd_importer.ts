/**
 * The iommufd pinned revocable importer (drivers/iommu/iommufd/pages.c, iopt_map_dmabuf): attach
 * with a revoke callback, then under the resv lock pin and ask VFIO for the physical range
 * (private interconnect), map it into iommufd's own domain. Unwind: a failed private map unpins
 * (lock still held) before detaching (unlocked). `unwind: 'skip-unpin'` is the S20 bug.
 *
 * The revoke callback (invalidate_mappings, resv held) takes pages->mutex — recording the
 * resv → pages->mutex order the kernel primes for lockdep — and unmaps the domain.
 */
import { attachment_importer_priv, dma_buf_detach, dma_buf_dynamic_attach } from '../kernel/dma_buf_attach.js';
import { dma_buf_resv, type DmaBuf, type DmaBufAttachment } from '../kernel/dma_buf.js';
import { dma_buf_pin, dma_buf_unpin } from '../kernel/dma_buf_map.js';
import { registerAttachOps } from '../kernel/dma_buf_ops.js';
import { dma_resv_lock, dma_resv_unlock } from '../kernel/dma_resv.js';
import { dma_map_sg, dma_unmap_sg } from '../kernel/iommu.js';
import { kzalloc_words, priv_load, priv_store } from '../kernel/priv.js';
import type { Task } from '../kernel/task.js';
import type { KGen, Mutex } from '../kernel/types.js';
import { mutex_init, mutex_lock, mutex_unlock } from '../kernel/ww_mutex.js';
import { vfio_pci_dma_buf_iommufd_map } from './vfio_iommufd.js';

const P_MUTEX = 0;
const P_HANDLE = 1;
const P_NPAGES = 2;
const P_REVOKED = 3;
const P_DEV = 4;
const P_AT = 5;

function* iopt_revoke_notify(t: Task, at: number): KGen<void> {
  const pages = attachment_importer_priv(t, at as DmaBufAttachment);
  const m = priv_load(t, pages + P_MUTEX) as Mutex;
  yield* mutex_lock(t, m);
  if (priv_load(t, pages + P_REVOKED) === 0) {
    unmapDomain(t, pages);
    priv_store(t, pages + P_REVOKED, 1);
  }
  mutex_unlock(t, m);
}

/** Unmap the dma-buf's pages from iommufd's domain, if mapped (idempotent). */
function unmapDomain(t: Task, pages: number): void {
  const handle = priv_load(t, pages + P_HANDLE);
  if (handle > 0) dma_unmap_sg(t, priv_load(t, pages + P_DEV), handle, priv_load(t, pages + P_NPAGES));
  priv_store(t, pages + P_HANDLE, 0);
}

export const IOMMUFD_ATTACH_OPS = registerAttachOps('iopt_dmabuf_attach_revoke_ops', {
  allow_peer2peer: true, invalidate_mappings: iopt_revoke_notify,
});

/** iopt_pages for a dma-buf: private words holding pages->mutex (made at setup: it never sleeps). */
export function iopt_alloc_dmabuf_pages(t: Task, dev: number): number {
  const pages = kzalloc_words(t, 6);
  priv_store(t, pages + P_MUTEX, mutex_init(t, 'iommufd_pages_mutex'));
  priv_store(t, pages + P_DEV, dev);
  return pages;
}

export interface IommufdOptions {
  /** Unwind of a failed private map: unpin before detach (fix) or forget the unpin (S20). */
  readonly unwind: 'unpin-then-detach' | 'skip-unpin';
}

/** iopt_map_dmabuf: 0, or the error that aborted it after unwinding. */
export function* iopt_map_dmabuf(t: Task, db: DmaBuf, pages: number, o: IommufdOptions): KGen<number> {
  const at = yield* dma_buf_dynamic_attach(t, db, priv_load(t, pages + P_DEV), IOMMUFD_ATTACH_OPS, pages);
  if (at < 0) return at;
  const resv = dma_buf_resv(t, db);
  yield* dma_resv_lock(t, resv, null);
  yield* mutex_lock(t, priv_load(t, pages + P_MUTEX) as Mutex);
  mutex_unlock(t, priv_load(t, pages + P_MUTEX) as Mutex);
  let ret = yield* dma_buf_pin(t, at as DmaBufAttachment);
  if (ret === 0) {
    const phys = vfio_pci_dma_buf_iommufd_map(t, at as DmaBufAttachment);
    if (typeof phys === 'number') {
      ret = phys;
      if (o.unwind === 'unpin-then-detach') yield* dma_buf_unpin(t, at as DmaBufAttachment);
    } else {
      const handle = dma_map_sg(t, priv_load(t, pages + P_DEV), at, phys);
      if (handle < 0) {
        ret = handle;
        if (o.unwind === 'unpin-then-detach') yield* dma_buf_unpin(t, at as DmaBufAttachment);
      } else {
        priv_store(t, pages + P_HANDLE, handle);
        priv_store(t, pages + P_NPAGES, phys.length);
      }
    }
  }
  dma_resv_unlock(t, resv);
  if (ret !== 0) yield* dma_buf_detach(t, db, at as DmaBufAttachment);
  else priv_store(t, pages + P_AT, at + 1);
  return ret;
}

/**
 * iopt_release_pages: unpin (with the resv lock, as the convention requires), unmap the domain if
 * the revoke callback has not, then detach (unlocked).
 */
export function* iopt_release_pages(t: Task, db: DmaBuf, pages: number): KGen<void> {
  const at = priv_load(t, pages + P_AT) - 1;
  if (at < 0) return;
  const resv = dma_buf_resv(t, db);
  yield* dma_resv_lock(t, resv, null);
  yield* dma_buf_unpin(t, at as DmaBufAttachment);
  unmapDomain(t, pages);
  dma_resv_unlock(t, resv);
  yield* dma_buf_detach(t, db, at as DmaBufAttachment);
  priv_store(t, pages + P_AT, 0);
}
