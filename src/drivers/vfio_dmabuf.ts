/**
 * VFIO PCI dma-buf exporter (drivers/vfio/pci/vfio_pci_dmabuf.c), final semantics by default,
 * with the knobs of vfio_knobs.ts reproducing each posted bug.
 *
 * Private state per exported buffer (driver-private words): revoked, kref (1 = registered, +1 per
 * live mapping), completion (fires when the kref drops to 0), the exporting device (vdev,
 * vfio_device.ts: its memory_lock, memory enable, PCI device and knobs), the number of ranges
 * the user asked for, the dma-buf, the entry on the device's list (V_LINK), and the pages — as
 * many as the dma-buf's size. attach runs unlocked; map/unmap with the resv lock held (by the
 * importer). mmap and its fault handler follow the in-flight mmap series (vfioMmap, vfioFault).
 */
import { EINVAL, ENODEV, EOPNOTSUPP } from '../errno/errno.js';
import { attachment_dmabuf, attachment_peer2peer } from '../kernel/dma_buf_attach.js';
import { dma_buf_priv, dma_buf_resv, dma_buf_size, type DmaBuf, type DmaBufAttachment } from '../kernel/dma_buf.js';
import { registerDmaBufOps } from '../kernel/dma_buf_ops.js';
import { VM_FAULT_SIGBUS, VM_SHARED, vma_flags, vma_pgoff, vmf_insert_pfn, type Vma } from '../kernel/cpu_mapping.js';
import { dma_map_sg, dma_unmap_sg } from '../kernel/iommu.js';
import { complete, init_completion, kref_get, kref_init, kref_put } from '../kernel/kref.js';
import { device_removed, phys_alloc_pages } from '../kernel/memory.js';
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import { GFP_KERNEL } from '../kernel/gfp.js';
import { kzalloc_words, priv_load, priv_store } from '../kernel/priv.js';
import type { Task } from '../kernel/task.js';
import type { KGen, Mutex } from '../kernel/types.js';
import type { VfioKnobs } from './vfio_knobs.js';
import { putUnpublished } from '../kernel/put_unpublished.js';
import {
  V_LINK, vfio_device_dev, vfio_device_knobs, vfio_device_list_add, vfio_device_list_del, vfio_device_memory_lock,
  vfio_dma_buf_listed, vfio_pci_core_init_device, vfio_pci_memory_enabled, type VfioDevice,
} from './vfio_device.js';

export { MEMORY_LOCK_CLASS, vfio_dma_buf_listed } from './vfio_device.js';

export const V_REVOKED = 0;
export const V_KREF = 1;
export const V_COMP = 2;
/** The exporting device (priv->vdev's model handle; it stays set after cleanup unlinks). */
export const V_VDEV = 3;
/** priv->nr_ranges: how many ranges the user's VFIO_DEVICE_FEATURE_DMA_BUF asked for. */
export const V_NRANGES = 4;
export const V_DMABUF = 5;
/** The entry on vdev->dmabufs (vfio_device.ts): non-zero from the export until release or
 *  vfio_pci_dma_buf_cleanup unlinks it (under memory_lock); read by both and by the move. */
export { V_LINK };
export const V_PAGES = V_LINK + 1;
/** Private words of an exported buffer besides its pages, which follow them (one word each). */
export const VFIO_DMABUF_WORDS = V_PAGES;
/** Pages the model keeps per exported buffer. */
export const VFIO_MAX_PAGES = 64;

const THIS_MODULE = moduleRef<KernelApi>('vfio_pci_core');

/** The device that exported buffer `vp`. */
export function vfioDevice(t: Task, vp: number): VfioDevice {
  return priv_load(t, vp + V_VDEV) as VfioDevice;
}

export function vfioKnobs(t: Task, vp: number): VfioKnobs {
  return vfio_device_knobs(t, vfioDevice(t, vp));
}

/** The memory_lock of the device that exported buffer `vp` (vdev->memory_lock). */
export function vfioMemoryLock(t: Task, vp: number): Mutex {
  return vfio_device_memory_lock(t, vfioDevice(t, vp));
}

/** The PCI device whose BAR buffer `vp` exports. */
export function vfioDev(t: Task, vp: number): number {
  return vfio_device_dev(t, vfioDevice(t, vp));
}

/** The buffer's pages (dma_buf_size of them: the export clamps both alike). */
export function vfioPages(t: Task, vp: number): number[] {
  const db = priv_load(t, vp + V_DMABUF) as DmaBuf;
  return Array.from({ length: dma_buf_size(t, db) }, (_, i) => priv_load(t, vp + V_PAGES + i));
}

function* vfioAttach(t: Task, db: number, at: number): KGen<number> {
  const vp = dma_buf_priv(t, db as DmaBuf);
  const knobs = vfioKnobs(t, vp);
  if (knobs.checkPeer2peer && !attachment_peer2peer(t, at as DmaBufAttachment)) return -EOPNOTSUPP;
  if (knobs.checkRevoked && priv_load(t, vp + V_REVOKED) !== 0) return -ENODEV;
  if (knobs.checkRevocable && !symbols(t, THIS_MODULE).dma_buf_attach_revocable(t, at as DmaBufAttachment)) return -EOPNOTSUPP;
  return 0;
}

/** map_dma_buf (resv held): -ENODEV while revoked; else the sg table's handle, +1 kref. */
function* vfioMap(t: Task, at: number): KGen<number> {
  const vp = dma_buf_priv(t, attachment_dmabuf(t, at as DmaBufAttachment));
  if (vfioKnobs(t, vp).map === 'take-memory-lock') return yield* mapUnderMemoryLock(t, vp, at);
  if (priv_load(t, vp + V_REVOKED) !== 0) return -ENODEV;
  return mapRanges(t, vp, at);
}

/** The map knob `take-memory-lock`: memory_lock taken inside the importer's resv lock hold. */
function* mapUnderMemoryLock(t: Task, vp: number, at: number): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  const m = vfioMemoryLock(t, vp);
  yield* k.mutex_lock(t, m);
  const ret = priv_load(t, vp + V_REVOKED) !== 0 ? -ENODEV : mapRanges(t, vp, at);
  k.mutex_unlock(t, m);
  return ret;
}

function mapRanges(t: Task, vp: number, at: number): number {
  const handle = dma_map_sg(t, vfioDev(t, vp), at, vfioPages(t, vp));
  if (handle > 0) kref_get(t, vp + V_KREF);
  return handle;
}

function* vfioUnmap(t: Task, at: number, sgt: number): KGen<void> {
  const vp = dma_buf_priv(t, attachment_dmabuf(t, at as DmaBufAttachment));
  dma_unmap_sg(t, vfioDev(t, vp), sgt, dma_buf_size(t, attachment_dmabuf(t, at as DmaBufAttachment)));
  if (kref_put(t, vp + V_KREF)) complete(t, vp + V_COMP);
}

/**
 * release (the last file reference's deferred fput: unlocked): a buffer still on the device's
 * list is unlinked under memory_lock. No move or cleanup works on the buffer then: each holds a
 * file reference (get_file_active) while it does, and one that comes later finds the file gone
 * and skips it. The core finishes the resv only after this returns. Either this or cleanup
 * unlinks; cleanup skips a buffer whose file is going away. Nothing else to free in the model.
 */
function* vfioRelease(t: Task, db: number): KGen<void> {
  const vp = dma_buf_priv(t, db as DmaBuf);
  if (!vfio_dma_buf_listed(t, vp)) return;
  const k = symbols(t, THIS_MODULE);
  yield* k.mutex_lock(t, vfioMemoryLock(t, vp));
  vfio_dma_buf_unlink(t, vp);
  k.mutex_unlock(t, vfioMemoryLock(t, vp));
}

/** list_del_init(&priv->dmabufs_elm) and priv->vdev = NULL (the model's priv->vdev == NULL is
 *  V_LINK == 0; V_VDEV stays set): the buffer leaves its device's list for good. memory_lock
 *  held. */
export function vfio_dma_buf_unlink(t: Task, vp: number): void {
  vfio_device_list_del(t, vfioDevice(t, vp), vp);
}

/**
 * mmap (the in-flight VFIO dma-buf mmap series' vfio_pci_dma_buf_mmap, kernel-semantics §4.9):
 * -EINVAL for a private mapping (no VM_SHARED), -ENODEV while the buffer is revoked (the series'
 * later versions: status not OK); a range past the buffer the core refused already (§4.6). The
 * vma gets vfioFault as its fault handler and no PTE yet. Reads `revoked` without a lock: a
 * revoke that comes after is the fault handler's and the zap's to catch. Returns 0 or -errno.
 */
function* vfioMmap(t: Task, db: number, vma: Vma): KGen<number> {
  if ((vma_flags(t, vma) & VM_SHARED) === 0) return -EINVAL;
  return priv_load(t, dma_buf_priv(t, db as DmaBuf) + V_REVOKED) !== 0 ? -ENODEV : 0;
}

/**
 * The vma's fault handler (as vfio_pci_mmap_huge_fault for BAR mmaps): memory_lock taken (for
 * read in the kernel; the model's is a mutex), then VM_FAULT_SIGBUS while the buffer is revoked,
 * else the PTE of page `idx` installed (vmf_insert_pfn, which may sleep allocating page tables)
 * — under the lock the revoke's zap holds, so no PTE appears between the zap and the un-revoke.
 * The knob's 'check-unlocked' checks before taking the lock (the 2024 RFC). May sleep.
 */
function* vfioFault(t: Task, db: number, vma: Vma, idx: number): KGen<number> {
  const vp = dma_buf_priv(t, db as DmaBuf);
  const k = symbols(t, THIS_MODULE);
  const unlockedCheck = vfioKnobs(t, vp).fault === 'check-unlocked';
  if (unlockedCheck && priv_load(t, vp + V_REVOKED) !== 0) return VM_FAULT_SIGBUS;
  yield* k.mutex_lock(t, vfioMemoryLock(t, vp));
  let ret = VM_FAULT_SIGBUS;
  if (unlockedCheck || priv_load(t, vp + V_REVOKED) === 0) {
    yield* k.cond_resched(t);
    ret = vmf_insert_pfn(t, vma, idx, priv_load(t, vp + V_PAGES + vma_pgoff(t, vma) + idx));
  }
  k.mutex_unlock(t, vfioMemoryLock(t, vp));
  return ret;
}

export const VFIO_DMABUF_OPS = registerDmaBufOps('vfio_pci_dmabuf_ops', {
  attach: vfioAttach, map_dma_buf: vfioMap, unmap_dma_buf: vfioUnmap, release: vfioRelease,
  mmap: vfioMmap, fault: vfioFault,
});

/** An exported buffer: the dma-buf, its private handle and the device that exported it. */
export interface VfioDmaBuf { readonly db: DmaBuf; readonly vp: number; readonly vdev: VfioDevice }

/**
 * VFIO_DEVICE_FEATURE_DMA_BUF at setup, on a new device (vfio_pci_core_init_device with `knobs`):
 * export `npages` pages of its BAR as one range. The export as vfio_pci_dma_buf_export_on; the
 * buffer or -errno.
 */
export function vfio_pci_dma_buf_export(t: Task, npages: number, knobs: VfioKnobs): VfioDmaBuf | number {
  return vfio_pci_dma_buf_export_on(t, vfio_pci_core_init_device(t, knobs), npages, 1);
}

/**
 * VFIO_DEVICE_FEATURE_DMA_BUF at setup, on device `vdev`: export `npages` pages of its BAR as
 * `nrRanges` ranges (the model keeps the pages; the count is what vfio_pci_dma_buf_iommufd_map
 * checks) and link the buffer on the device's list, revoked when the device's memory is disabled
 * (priv->revoked = !__vfio_pci_memory_enabled(vdev)). Returns the buffer, or -errno as
 * vfioDmaBufCreate. Context: setup, before any actor runs: the kernel links the buffer under
 * memory_lock and the resv lock (vfio_pci_core_feature_dma_buf does, in an actor); here that
 * nesting would only repeat the order the move records (memory_lock → resv).
 */
export function vfio_pci_dma_buf_export_on(t: Task, vdev: VfioDevice, npages: number, nrRanges: number): VfioDmaBuf | number {
  const r = vfioDmaBufCreate(t, vdev, npages, nrRanges);
  if (typeof r === 'number') return r;
  vfioDmaBufLink(t, r.vp);
  return r;
}

/**
 * vfio_pci_core_feature_dma_buf (the VFIO_DEVICE_FEATURE ioctl) in an actor: -ENODEV once remove()
 * unregistered the device (vfio_device_try_get_registration fails); else export as
 * vfioDmaBufCreate, then under memory_lock and the buffer's resv lock (the kernel's nesting)
 * set revoked from the memory enable and link it on the device's list. Context: process, no locks
 * held. Returns the buffer or -errno.
 *
 * The device found gone once memory_lock is held is -ENODEV too, the new buffer's only reference
 * dropped (the kernel's err_dma_buf unwind). In the kernel the ioctl runs inside the device's
 * open file, and remove() cannot get past vfio_unregister_group_dev, nor close the device
 * (vfio_pci_dma_buf_cleanup), until that file is put: the export links before the cleanup walks
 * the list, or comes after the unregistration and fails. The model has no device file; remove()
 * marks the device removed inside the memory_lock hold of its cleanup, so checking again under
 * memory_lock gives the same two outcomes and never a buffer linked to a removed device.
 *
 * Not modelled: the same race with a plain close. vfio_pci_dma_buf_cleanup without remove() marks
 * nothing, so an export that passed the check and waited for memory_lock while the cleanup walked
 * the list links a live, unrevoked buffer to a closed device afterwards — which the kernel cannot
 * do (close waits for the device file the ioctl holds). Callers must not export concurrently with
 * the cleanup. Modelling it needs a "closed" state in the device's arena row, as DV_STATE is,
 * not a new private word (that would shift every later private handle and recorded schedules).
 */
export function* vfio_pci_core_feature_dma_buf(t: Task, vdev: VfioDevice, npages: number, nrRanges: number): KGen<VfioDmaBuf | number> {
  const dev = vfio_device_dev(t, vdev);
  if (device_removed(t, dev)) return -ENODEV;
  const r = vfioDmaBufCreate(t, vdev, npages, nrRanges);
  if (typeof r === 'number') return r;
  const k = symbols(t, THIS_MODULE);
  const m = vfio_device_memory_lock(t, vdev);
  yield* k.mutex_lock(t, m);
  if (device_removed(t, dev)) {
    k.mutex_unlock(t, m);
    yield* k.dma_buf_put(t, r.db);
    return -ENODEV;
  }
  const resv = dma_buf_resv(t, r.db);
  yield* k.dma_resv_lock(t, resv, null);
  vfioDmaBufLink(t, r.vp);
  k.dma_resv_unlock(t, resv);
  k.mutex_unlock(t, m);
  return r;
}

/**
 * The export before the buffer is linked: private words, dma_buf_export, the BAR's pages, kref and
 * completion armed. Returns the buffer, or -ENOMEM when the pages cannot be had: the pages taken
 * are freed and the new dma-buf's only reference is dropped, so the caller sees the export fail
 * as the kernel's would.
 *
 * The model keeps at most VFIO_MAX_PAGES pages per buffer; the dma-buf's size is that same clamped
 * count, because map_dma_buf hands out exactly those pages (kernel-semantics §4.10: the sg table
 * covers the exported ranges) and importers program their engines with dma_buf_size() pages — a
 * larger size made them touch DMA addresses of other mappings.
 */
function vfioDmaBufCreate(t: Task, vdev: VfioDevice, npages: number, nrRanges: number): VfioDmaBuf | number {
  const n = Math.min(npages, VFIO_MAX_PAGES);
  const vp = kzalloc_words(t, VFIO_DMABUF_WORDS + n, GFP_KERNEL, vfio_pci_core_feature_dma_buf);
  priv_store(t, vp + V_VDEV, vdev);
  priv_store(t, vp + V_NRANGES, nrRanges);
  const k = symbols(t, THIS_MODULE);
  const db = k.dma_buf_export(t, { ops: VFIO_DMABUF_OPS, size: n, priv: vp, owner: THIS_MODULE });
  if (db < 0) return db;
  priv_store(t, vp + V_DMABUF, db);
  const pages = phys_alloc_pages(t, db, n);
  if (typeof pages === 'number') { putUnpublished(k.dma_buf_put(t, db as DmaBuf)); return pages; }
  pages.forEach((p, i) => priv_store(t, vp + V_PAGES + i, p));
  kref_init(t, vp + V_KREF);
  init_completion(t, vp + V_COMP);
  return { db: db as DmaBuf, vp, vdev };
}

/** priv->revoked = !__vfio_pci_memory_enabled(vdev); list_add_tail on vdev->dmabufs. */
function vfioDmaBufLink(t: Task, vp: number): void {
  const vdev = vfioDevice(t, vp);
  priv_store(t, vp + V_REVOKED, vfio_pci_memory_enabled(t, vdev) ? 0 : 1);
  vfio_device_list_add(t, vdev, vp);
}
