/**
 * A dma-buf's iopt_pages (drivers/iommu/iommufd/pages.c, struct iopt_pages with its
 * pages->dmabuf part): pages->mutex, the importing device, the attachment, the recorded range
 * (pages->dmabuf.phys) and the one area's size, after the revoke tracker (iommufd_tracker.ts).
 * Here too the area's copy into one IOMMU domain: iopt_area_map_domain / iopt_area_unmap_domain
 * for a tracked domain, which every path that maps or unmaps it runs under pages->mutex: the fill,
 * unfill and revoke paths (iommufd_importer.ts) and the detach of a domain from the IOAS
 * (iopt_unfill_domain, iommufd_ioas.ts; its 'unmap-unlocked' knob is the bug that does not).
 *
 * Words (driver-private, kzalloc_words): the tracker's IOPT_TRACKER_WORDS, then P_*.
 */
import { dma_map_sg, dma_unmap_sg } from '../kernel/iommu.js';
import { iommu_domain_clear, iommu_domain_install } from '../kernel/iommu_domain.js';
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import { GFP_KERNEL_ACCOUNT } from '../kernel/gfp.js';
import { kzalloc_words, priv_load, priv_store } from '../kernel/priv.js';
import type { Task } from '../kernel/task.js';
import type { KGen, Mutex } from '../kernel/types.js';
import { IOPT_TRACKER_WORDS, setTrackHandle, trackDomain, trackHandle, type TrackSlot } from './iommufd_tracker.js';
import type { PhysVec } from './vfio_iommufd.js';

const THIS_MODULE = moduleRef<KernelApi>('iommufd');

const P_MUTEX = IOPT_TRACKER_WORDS;
const P_DEV = P_MUTEX + 1;
/** The attachment + 1 once iopt_map_dmabuf succeeded (pages->dmabuf.attach). */
const P_AT = P_MUTEX + 2;
/** pages->dmabuf.phys: the recorded range; P_LEN 0 = revoked (or never recorded). */
const P_PADDR = P_MUTEX + 3;
const P_LEN = P_MUTEX + 4;
/** The area's pages: the whole dma-buf. */
const P_NPAGES = P_MUTEX + 5;
/** Private words of one iopt_pages (iopt_alloc_dmabuf_pages): the tracker (iommufd_tracker.ts,
 *  words 0 .. IOPT_TRACKER_WORDS − 1), then P_*. */
export const IOPT_PAGES_WORDS = P_NPAGES + 1;

/** pages->mutex. */
export const pagesMutex = (t: Task, pages: number): Mutex => priv_load(t, pages + P_MUTEX) as Mutex;

/** The importing device of `pages`. */
export const pagesDev = (t: Task, pages: number): number => priv_load(t, pages + P_DEV);

/** pages->dmabuf.attach: the attachment, or −1 before iopt_map_dmabuf succeeded / after release. */
export const pagesAttachment = (t: Task, pages: number): number => priv_load(t, pages + P_AT) - 1;

/** Record (`at` ≥ 0) or forget (−1) the pages' attachment. */
export function setPagesAttachment(t: Task, pages: number, at: number): void {
  priv_store(t, pages + P_AT, at + 1);
}

/** iopt_dmabuf_revoked: the recorded range is gone (pages->mutex held by the caller). */
export const revoked = (t: Task, pages: number): boolean => priv_load(t, pages + P_LEN) === 0;

/** Mark the recorded range revoked (pages->mutex held). */
export function markRevoked(t: Task, pages: number): void {
  priv_store(t, pages + P_LEN, 0);
}

/** iopt_pages for a dma-buf: private words holding pages->mutex (made at setup: it never
 *  sleeps). */
export function iopt_alloc_dmabuf_pages(t: Task, dev: number): number {
  const k = symbols(t, THIS_MODULE);
  const pages = kzalloc_words(t, IOPT_PAGES_WORDS, GFP_KERNEL_ACCOUNT, iopt_alloc_dmabuf_pages);
  priv_store(t, pages + P_MUTEX, k.mutex_init(t, 'iommufd_pages_mutex'));
  priv_store(t, pages + P_DEV, dev);
  return pages;
}

/** Record range `phys` for an area of `npages` pages (pages->dmabuf.phys; resv lock held). */
export function recordRange(t: Task, pages: number, phys: PhysVec, npages: number): void {
  priv_store(t, pages + P_PADDR, phys.paddr);
  priv_store(t, pages + P_NPAGES, npages);
  priv_store(t, pages + P_LEN, phys.len);
}

/**
 * iopt_area_unmap_domain_range for tracked domain `s`, if a mapping is installed in it: the
 * domain's devices fault from now on (`fn` names the caller for a burst that never ends), then
 * the IOMMU-table entries are given back. pages->mutex held (or the knob that dropped it).
 */
export function unmapDomain(t: Task, pages: number, s: TrackSlot, fn: string): void {
  const handle = trackHandle(t, s);
  if (handle === 0) return;
  unmapRange(t, pages, trackDomain(t, s), handle, fn);
  setTrackHandle(t, s, 0);
}

/** Clear `domain` and give back IOMMU-table mapping `handle` of the area (unmapDomain without the
 *  tracker entry: the caller read `handle` from it, and clears or drops the entry itself). */
export function unmapRange(t: Task, pages: number, domain: number, handle: number, fn: string): void {
  iommu_domain_clear(t, domain, pages, fn);
  dma_unmap_sg(t, pagesDev(t, pages), handle, priv_load(t, pages + P_NPAGES));
}

/**
 * pfn_reader + batch_to_domain for tracked domain `s`: map the area's pages from the recorded
 * address into the IOMMU table and install the mapping in the domain. iommu_map allocates its
 * page tables with GFP_KERNEL_ACCOUNT (might_alloc, under pages->mutex), so it may sleep first.
 * 0 or -ENOMEM (nothing mapped).
 */
export function* mapDomain(t: Task, pages: number, s: TrackSlot): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  yield* k.cond_resched(t, pages);
  const paddr = priv_load(t, pages + P_PADDR);
  const range = Array.from({ length: priv_load(t, pages + P_NPAGES) }, (_, i) => paddr + i);
  k.might_alloc(t, GFP_KERNEL_ACCOUNT);
  const handle = dma_map_sg(t, pagesDev(t, pages), pagesAttachment(t, pages), range);
  if (handle < 0) return handle;
  setTrackHandle(t, s, handle);
  iommu_domain_install(t, trackDomain(t, s), handle, range.length);
  return 0;
}
