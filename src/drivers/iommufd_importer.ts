/**
 * The iommufd pinned revocable importer (drivers/iommu/iommufd/pages.c, iopt_map_dmabuf): attach
 * with a revoke callback, then under the resv lock pin and ask VFIO for the physical range
 * (private interconnect), map it into iommufd's own domain. Unwind: a failed private map unpins
 * (lock still held) before detaching (unlocked). `unwind: 'skip-unpin'` is the S20 bug.
 *
 * Simplified: the kernel only records the range here and fills the domain later, when an area
 * maps the pages into an IOAS (under pages->mutex, skipping a revoked range); the model fills it
 * at map time under the resv lock, so races between a revoke and that fill are not modelled.
 *
 * iommufd and vfio depend on each other, so iommufd does not link VFIO's private map: it looks it
 * up with symbol_get on every map (no namespace import; -EOPNOTSUPP when vfio_pci_core is not
 * loaded), as pages.c's sym_vfio_pci_dma_buf_iommufd_map does.
 *
 * The revoke callback (invalidate_mappings, resv held) takes pages->mutex — recording the
 * resv → pages->mutex order the kernel primes for lockdep — and unmaps the domain.
 */
import { EOPNOTSUPP } from '../errno/errno.js';
import { attachment_importer_priv } from '../kernel/dma_buf_attach.js';
import { dma_buf_resv, type DmaBuf, type DmaBufAttachment } from '../kernel/dma_buf.js';
import { registerAttachOps } from '../kernel/dma_buf_ops.js';
import { dma_map_sg, dma_unmap_sg } from '../kernel/iommu.js';
import type { KernelApi } from '../kernel/module/api.js';
import { __symbol_get, __symbol_put } from '../kernel/module/symbol_get.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import { kzalloc_words, priv_load, priv_store } from '../kernel/priv.js';
import type { Task } from '../kernel/task.js';
import type { KGen, Mutex } from '../kernel/types.js';
import type { VfioIommufdMap } from './vfio_iommufd.js';

const THIS_MODULE = moduleRef<KernelApi>('iommufd');

const P_MUTEX = 0;
const P_HANDLE = 1;
const P_NPAGES = 2;
const P_REVOKED = 3;
const P_DEV = 4;
const P_AT = 5;
/** Private words of one iopt_pages (iopt_alloc_dmabuf_pages): P_*. */
export const IOPT_PAGES_WORDS = 6;

function* iopt_revoke_notify(t: Task, at: number): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const pages = attachment_importer_priv(t, at as DmaBufAttachment);
  const m = priv_load(t, pages + P_MUTEX) as Mutex;
  yield* k.mutex_lock(t, m);
  if (priv_load(t, pages + P_REVOKED) === 0) {
    unmapDomain(t, pages);
    priv_store(t, pages + P_REVOKED, 1);
  }
  k.mutex_unlock(t, m);
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
  const k = symbols(t, THIS_MODULE);
  const pages = kzalloc_words(t, IOPT_PAGES_WORDS);
  priv_store(t, pages + P_MUTEX, k.mutex_init(t, 'iommufd_pages_mutex'));
  priv_store(t, pages + P_DEV, dev);
  return pages;
}

/**
 * sym_vfio_pci_dma_buf_iommufd_map: VFIO's private map of `at` (resv lock held), through
 * symbol_get / symbol_put of vfio_pci_dma_buf_iommufd_map — by name, so no static use and no
 * namespace check. The pages, or -EOPNOTSUPP when no loaded module exports it, or the map's error.
 */
function symVfioPciDmaBufIommufdMap(t: Task, at: DmaBufAttachment): number[] | number {
  const fn = __symbol_get<VfioIommufdMap>(t, 'vfio_pci_dma_buf_iommufd_map');
  if (fn === null) return -EOPNOTSUPP;
  const rc = fn(t, at);
  __symbol_put(t, 'vfio_pci_dma_buf_iommufd_map');
  return rc;
}

export interface IommufdOptions {
  /** Unwind of a failed private map: unpin before detach (fix) or forget the unpin (S20). */
  readonly unwind: 'unpin-then-detach' | 'skip-unpin';
}

/** iopt_map_dmabuf: 0, or the error that aborted it after unwinding. */
export function* iopt_map_dmabuf(t: Task, db: DmaBuf, pages: number, o: IommufdOptions): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  const at = yield* k.dma_buf_dynamic_attach(t, db, priv_load(t, pages + P_DEV), IOMMUFD_ATTACH_OPS, pages);
  if (at < 0) return at;
  const resv = dma_buf_resv(t, db);
  yield* k.dma_resv_lock(t, resv, null);
  yield* k.mutex_lock(t, priv_load(t, pages + P_MUTEX) as Mutex);
  k.mutex_unlock(t, priv_load(t, pages + P_MUTEX) as Mutex);
  let ret = yield* k.dma_buf_pin(t, at as DmaBufAttachment);
  if (ret === 0) {
    const phys = symVfioPciDmaBufIommufdMap(t, at as DmaBufAttachment);
    if (typeof phys === 'number') {
      ret = phys;
      if (o.unwind === 'unpin-then-detach') yield* k.dma_buf_unpin(t, at as DmaBufAttachment);
    } else {
      const handle = dma_map_sg(t, priv_load(t, pages + P_DEV), at, phys);
      if (handle < 0) {
        ret = handle;
        if (o.unwind === 'unpin-then-detach') yield* k.dma_buf_unpin(t, at as DmaBufAttachment);
      } else {
        priv_store(t, pages + P_HANDLE, handle);
        priv_store(t, pages + P_NPAGES, phys.length);
      }
    }
  }
  k.dma_resv_unlock(t, resv);
  if (ret !== 0) yield* k.dma_buf_detach(t, db, at as DmaBufAttachment);
  else priv_store(t, pages + P_AT, at + 1);
  return ret;
}

/**
 * iopt_release_pages: unpin with the resv lock held, as the convention requires (the later fix:
 * the series as merged, 8c5f9645c389, unpinned without it, which trips dma_buf_unpin's
 * dma_resv_assert_held), unmap the domain if the revoke callback has not, then detach (unlocked).
 */
export function* iopt_release_pages(t: Task, db: DmaBuf, pages: number): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const at = priv_load(t, pages + P_AT) - 1;
  if (at < 0) return;
  const resv = dma_buf_resv(t, db);
  yield* k.dma_resv_lock(t, resv, null);
  yield* k.dma_buf_unpin(t, at as DmaBufAttachment);
  unmapDomain(t, pages);
  k.dma_resv_unlock(t, resv);
  yield* k.dma_buf_detach(t, db, at as DmaBufAttachment);
  priv_store(t, pages + P_AT, 0);
}
