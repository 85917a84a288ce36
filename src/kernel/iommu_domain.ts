/**
 * An IOMMU domain as the devices attached to it walk it (struct iommu_domain's page table): the
 * translation of one mapping of the IOMMU table (iommu.ts: a handle and its pages) is installed in
 * it, or nothing is. A device reaches memory only through the installed translation: a burst
 * through an empty domain faults — an IOMMU fault its owner handles, no kernel bug: nothing is
 * accessed and nothing is reported —, and so does a page past the end of the installed
 * translation, while every page within it is judged by the device-access check (dma_access.ts).
 * Removing the translation completes only once no burst uses it any more, as the IOTLB flush of
 * iommu_unmap does.
 *
 * Words (driver-private, from `d`): the installed handle (0 = none), its pages, the bursts in
 * flight (atomic). A DMA engine context embeds one (dma_engine.ts); iommufd installs a dma-buf's
 * pages into each domain of an IOAS (iommufd_importer.ts).
 * Context: any task; nothing here sleeps or is a scheduling point.
 */
import { dma_engine_access_pages } from './dma_access.js';
import { GFP_KERNEL } from './gfp.js';
import { kzalloc_words, privIndex, priv_load, priv_store } from './priv.js';
import type { Task } from './task.js';
import { siteId } from './warn.js';

const D_HANDLE = 0;
const D_PAGES = 1;
/** Bursts in flight through the domain (atomic): exported for tests that stop a burst midway
 *  (a burst never stops at a scheduling point). */
export const D_INFLIGHT = 2;
/** Private words of a domain: D_*. */
export const IOMMU_DOMAIN_WORDS = 3;
const CLEAR_SPIN_LIMIT = 1 << 24;

/** An empty domain; returns its handle. */
export function iommu_domain_alloc(t: Task): number {
  return kzalloc_words(t, IOMMU_DOMAIN_WORDS, GFP_KERNEL, iommu_domain_alloc);
}

/** Install the translation of IOMMU-table mapping `handle` (`pages` pages) in domain `d`. */
export function iommu_domain_install(t: Task, d: number, handle: number, pages: number): void {
  priv_store(t, d + D_PAGES, pages);
  priv_store(t, d + D_HANDLE, handle);
}

/** The pages of the translation installed in `d` (of the last one when it is empty). */
export function iommu_domain_pages(t: Task, d: number): number {
  return priv_load(t, d + D_PAGES);
}

/**
 * Remove the translation from `d`: from now on no device reaches the mapping through it. Busy-waits
 * for the bursts in flight; one that never ends is SOFT_LOCKUP on `obj` titled after `fn`, the
 * caller (throws KernelOops).
 */
export function iommu_domain_clear(t: Task, d: number, obj: number, fn: string): void {
  priv_store(t, d + D_HANDLE, 0);
  const inflight = privIndex(t, d + D_INFLIGHT);
  for (let i = 0; Atomics.load(t.i32, inflight) !== 0; i++) {
    if (i === CLEAR_SPIN_LIMIT) t.bug('SOFT_LOCKUP', obj, siteId(fn));
  }
}

/**
 * A device burst through domain `d` to pages first .. first + n − 1 of the installed translation,
 * checked page by page (dma_engine_access_pages); atomic with respect to iommu_domain_clear. A page
 * past the translation's end has no entry in the domain: the burst faults there, as through an
 * empty domain, and nothing is accessed from that page on. True when every page went through;
 * false when the burst faulted (the domain is, or became, empty, or the burst ran past the
 * translation), the pages before the fault having been accessed.
 */
export function iommu_domain_dma(t: Task, d: number, first: number, n: number, write: boolean, speculative: boolean): boolean {
  const h = t.i32;
  const inflight = privIndex(t, d + D_INFLIGHT);
  Atomics.add(h, inflight, 1);
  const handle = priv_load(t, d + D_HANDLE);
  const reach = handle === 0 ? 0 : Math.max(0, Math.min(n, priv_load(t, d + D_PAGES) - first));
  if (reach > 0) dma_engine_access_pages(t, handle - 1 + first, reach, write, speculative);
  Atomics.sub(h, inflight, 1);
  return reach === n;
}
