/**
 * VFIO PCI dma-buf exporter (drivers/vfio/pci/vfio_pci_dmabuf.c), final semantics by default,
 * with the knobs of vfio_knobs.ts reproducing each posted bug.
 *
 * Private state per exported buffer (driver-private words): revoked, kref (1 = registered, +1 per
 * live mapping), completion (fires when the kref drops to 0), device, knobs, the dma-buf, page
 * count, the device's memory_lock, whether the buffer is on the device's list (V_LISTED) and the
 * pages. attach runs unlocked; map/unmap with the resv lock held (by the importer).
 *
 * vdev->memory_lock is an rw_semaphore in the kernel; the model has none, so it is a mutex with
 * its own lockdep class (MEMORY_LOCK_CLASS). Every path that takes it in the model takes it for
 * write in the kernel too (the move's callers, cleanup), so one mode loses no ordering. Each
 * exported buffer has its own device in the model, so the lock lives in the buffer's words.
 */
import { ENODEV, EOPNOTSUPP } from '../errno/errno.js';
import { attachment_dmabuf, attachment_peer2peer } from '../kernel/dma_buf_attach.js';
import { dma_buf_priv, type DmaBuf, type DmaBufAttachment } from '../kernel/dma_buf.js';
import { registerDmaBufOps } from '../kernel/dma_buf_ops.js';
import { dma_map_sg, dma_unmap_sg } from '../kernel/iommu.js';
import { complete, init_completion, kref_get, kref_init, kref_put } from '../kernel/kref.js';
import { device_add, phys_alloc_pages } from '../kernel/memory.js';
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import { kzalloc_words, priv_load, priv_store } from '../kernel/priv.js';
import type { Task } from '../kernel/task.js';
import type { KGen, Mutex } from '../kernel/types.js';
import { packKnobs, unpackKnobs, type VfioKnobs } from './vfio_knobs.js';
import { putUnpublished } from '../kernel/put_unpublished.js';

export const V_REVOKED = 0;
export const V_KREF = 1;
export const V_COMP = 2;
export const V_DEV = 3;
export const V_KNOBS = 4;
export const V_DMABUF = 5;
export const V_NPAGES = 6;
export const V_MEMLOCK = 7;
/** The buffer is on vdev->dmabufs and priv->vdev is set: 1 from the export until release or
 *  vfio_pci_dma_buf_cleanup unlinks it (under memory_lock); read by both and by the move. */
export const V_LISTED = 8;
export const V_PAGES = 9;
/** Private words of an exported buffer besides its pages, which follow them (one word each). */
export const VFIO_DMABUF_WORDS = V_PAGES;
/** Pages the model keeps per exported buffer. */
export const VFIO_MAX_PAGES = 64;

const THIS_MODULE = moduleRef<KernelApi>('vfio_pci_core');

export function vfioKnobs(t: Task, vp: number): VfioKnobs {
  return unpackKnobs(priv_load(t, vp + V_KNOBS));
}

/** The lockdep class of vdev->memory_lock, as lockdep names it in reports. */
export const MEMORY_LOCK_CLASS = '&vdev->memory_lock';

/** The device's memory_lock (vdev->memory_lock) of exported buffer `vp`. */
export function vfioMemoryLock(t: Task, vp: number): Mutex {
  return priv_load(t, vp + V_MEMLOCK) as Mutex;
}

export function vfioPages(t: Task, vp: number): number[] {
  return Array.from({ length: priv_load(t, vp + V_NPAGES) }, (_, i) => priv_load(t, vp + V_PAGES + i));
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
  const handle = dma_map_sg(t, priv_load(t, vp + V_DEV), at, vfioPages(t, vp));
  if (handle > 0) kref_get(t, vp + V_KREF);
  return handle;
}

function* vfioUnmap(t: Task, at: number, sgt: number): KGen<void> {
  const vp = dma_buf_priv(t, attachment_dmabuf(t, at as DmaBufAttachment));
  dma_unmap_sg(t, priv_load(t, vp + V_DEV), sgt, priv_load(t, vp + V_NPAGES));
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
  if (priv_load(t, vp + V_LISTED) === 0) return;
  const k = symbols(t, THIS_MODULE);
  yield* k.mutex_lock(t, vfioMemoryLock(t, vp));
  priv_store(t, vp + V_LISTED, 0);
  k.mutex_unlock(t, vfioMemoryLock(t, vp));
}

export const VFIO_DMABUF_OPS = registerDmaBufOps('vfio_pci_dmabuf_ops', {
  attach: vfioAttach, map_dma_buf: vfioMap, unmap_dma_buf: vfioUnmap, release: vfioRelease,
});

/**
 * VFIO_DEVICE_FEATURE_DMA_BUF: export `npages` pages of a new device's BAR. Returns the dma-buf and
 * the driver-private handle, or -ENOMEM when the pages cannot be had: the pages taken are freed
 * and the new dma-buf's only reference is dropped, so the caller sees the export fail as the
 * kernel's would. Context: setup or any task; no locks held. The kernel links the new buffer
 * under memory_lock and the resv lock; the model's export cannot sleep, and before any actor runs
 * that nesting only repeats the order the move records (memory_lock → resv).
 *
 * The model keeps at most VFIO_MAX_PAGES pages per buffer; the dma-buf's size is that same clamped
 * count, because map_dma_buf hands out exactly those pages (kernel-semantics §4.10: the sg table
 * covers the exported ranges) and importers program their engines with dma_buf_size() pages — a
 * larger size made them touch DMA addresses of other mappings.
 */
export function vfio_pci_dma_buf_export(t: Task, npages: number, knobs: VfioKnobs): { db: DmaBuf; vp: number } | number {
  const n = Math.min(npages, VFIO_MAX_PAGES);
  const vp = kzalloc_words(t, VFIO_DMABUF_WORDS + n);
  priv_store(t, vp + V_DEV, device_add(t));
  priv_store(t, vp + V_KNOBS, packKnobs(knobs));
  priv_store(t, vp + V_NPAGES, n);
  const k = symbols(t, THIS_MODULE);
  priv_store(t, vp + V_MEMLOCK, k.mutex_init(t, MEMORY_LOCK_CLASS));
  const db = k.dma_buf_export(t, { ops: VFIO_DMABUF_OPS, size: n, priv: vp, owner: THIS_MODULE });
  if (db < 0) return db;
  priv_store(t, vp + V_DMABUF, db);
  const pages = phys_alloc_pages(t, db, n);
  if (typeof pages === 'number') { putUnpublished(k.dma_buf_put(t, db as DmaBuf)); return pages; }
  pages.forEach((p, i) => priv_store(t, vp + V_PAGES + i, p));
  kref_init(t, vp + V_KREF);
  init_completion(t, vp + V_COMP);
  priv_store(t, vp + V_LISTED, 1);
  return { db: db as DmaBuf, vp };
}
