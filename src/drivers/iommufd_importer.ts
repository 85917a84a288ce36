/**
 * The iommufd pinned revocable importer (drivers/iommu/iommufd/pages.c), in the kernel's two steps:
 *
 * - iopt_map_file_pages / iopt_map_dmabuf (IOMMU_IOAS_MAP_FILE creating the iopt_pages): a file
 *   reference on the dma-buf for the pages, kept until iopt_release_pages puts it; attach with a
 *   revoke callback, then under the resv lock pin and ask VFIO for the physical range (private
 *   interconnect) and only record it (pages->dmabuf.phys). Unwind: a failed private map unpins
 *   (lock still held) before detaching (unlocked); `unwind: 'skip-unpin'` is the S20 bug.
 * - iopt_area_fill_domains (the area joining an IOAS, filled into each of its domains: one per
 *   device or HWPT attached to it): under pages->mutex, track every domain and install the
 *   recorded range in each, unless revoked (phys.len == 0: the domains stay empty, as though revoke
 *   came right after). It is a separate step: a revoke can come between the two, and while the
 *   fill sleeps in iommu_map's allocation. A domain attached to the IOAS later is filled by
 *   iopt_fill_domain, which iopt_table_add_domain (iommufd_ioas.ts) calls.
 *
 * The revoke callback (invalidate_mappings, resv held by the exporter) takes pages->mutex —
 * the resv → pages->mutex order iopt_map_dmabuf primes for lockdep —, unmaps the range from every
 * tracked domain (their devices fault from then on) and marks it revoked; the fill and unfill
 * paths, and the detach of a domain from the IOAS (iopt_unfill_domain, iommufd_ioas.ts), take the
 * same mutex, so a range is never mapped after, or unmapped twice by, a revoke. The release
 * (iopt_release_pages) unpins, detaches and puts the pages' file reference, and WARNs when a
 * domain is still tracked. The knobs (iommufd_knobs.ts) put back what the series got
 * wrong on the way, and the mistakes a fill over several domains invites.
 *
 * iommufd and vfio depend on each other, so iommufd does not link VFIO's private map: it looks it
 * up with symbol_get on every map (no namespace import; -EOPNOTSUPP when vfio_pci_core is not
 * loaded), as pages.c's sym_vfio_pci_dma_buf_iommufd_map does.
 *
 * The model keeps one area per iopt_pages (iommufd_pages.ts: its words, and the area's map and
 * unmap of one domain), filled into up to IOPT_TRACK_MAX domains (the tracker,
 * iommufd_tracker.ts). A domain's page table holds the one IOMMU-table mapping of the range made
 * for it (iommu_domain.ts); the tracker entry records it.
 */
import { EOPNOTSUPP } from '../errno/errno.js';
import { attachment_importer_priv } from '../kernel/dma_buf_attach.js';
import { dma_buf_resv, dma_buf_size, type DmaBuf, type DmaBufAttachment } from '../kernel/dma_buf.js';
import { registerAttachOps } from '../kernel/dma_buf_ops.js';
import type { KernelApi } from '../kernel/module/api.js';
import { __symbol_get, __symbol_put } from '../kernel/module/symbol_get.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import type { Task } from '../kernel/task.js';
import type { KGen } from '../kernel/types.js';
import { IOMMUFD_FIXED, type IommufdKnobs } from './iommufd_knobs.js';
import {
  mapDomain, markRevoked, pagesAttachment, pagesDev, pagesMutex, recordRange, revoked, setPagesAttachment, unmapDomain,
} from './iommufd_pages.js';
import {
  iopt_dmabuf_track_all_domains, iopt_dmabuf_track_domain, iopt_dmabuf_untrack_all_domains, iopt_dmabuf_untrack_domain,
  trackOf, tracked,
} from './iommufd_tracker.js';
import type { PhysVec, VfioIommufdMap } from './vfio_iommufd.js';

const THIS_MODULE = moduleRef<KernelApi>('iommufd');

/**
 * iopt_revoke_notify (invalidate_mappings; the exporter holds the resv lock): under pages->mutex,
 * unless already revoked, unmap the range from the tracked domains — every one
 * ('unmap-all-tracked', the kernel's list_for_each_entry) or the first only (the knob's bug,
 * iommufd_knobs.ts) — and mark it revoked.
 */
function* revokeNotify(t: Task, at: number, which: IommufdKnobs['revoke']): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const pages = attachment_importer_priv(t, at as DmaBufAttachment);
  yield* k.mutex_lock(t, pagesMutex(t, pages));
  if (!revoked(t, pages)) {
    const slots = tracked(t, pages);
    for (const s of which === 'unmap-all-tracked' ? slots : slots.slice(0, 1)) unmapDomain(t, pages, s, 'iopt_revoke_notify');
    markRevoked(t, pages);
  }
  k.mutex_unlock(t, pagesMutex(t, pages));
}

/** The ops iopt_map_dmabuf attaches with, by `revoke` knob: the kernel's, and the first-only
 *  bug's. */
const ATTACH_OPS: Readonly<Record<IommufdKnobs['revoke'], number>> = {
  'unmap-all-tracked': registerAttachOps('iopt_dmabuf_attach_revoke_ops', {
    allow_peer2peer: true, invalidate_mappings: (t, at) => revokeNotify(t, at, 'unmap-all-tracked'),
  }),
  'unmap-first-tracked': registerAttachOps('iopt_dmabuf_attach_revoke_first_ops', {
    allow_peer2peer: true, invalidate_mappings: (t, at) => revokeNotify(t, at, 'unmap-first-tracked'),
  }),
};

/**
 * sym_vfio_pci_dma_buf_iommufd_map: VFIO's private map of `at` (resv lock held), through
 * symbol_get / symbol_put of vfio_pci_dma_buf_iommufd_map — by name, so no static use and no
 * namespace check. The range, or -EOPNOTSUPP when no loaded module exports it, or the map's error.
 */
function symVfioPciDmaBufIommufdMap(t: Task, at: DmaBufAttachment): PhysVec | number {
  const fn = __symbol_get<VfioIommufdMap>(t, 'vfio_pci_dma_buf_iommufd_map');
  if (fn === null) return -EOPNOTSUPP;
  const rc = fn(t, at);
  __symbol_put(t, 'vfio_pci_dma_buf_iommufd_map');
  return rc;
}

/**
 * iopt_map_dmabuf: attach `db` (with the revoke callback `o.revoke` selects), pin it and record its
 * range, all under the resv lock (taken here; the caller must not hold it). 0, or the error that
 * aborted it after unwinding.
 */
export function* iopt_map_dmabuf(t: Task, db: DmaBuf, pages: number, o: IommufdKnobs = IOMMUFD_FIXED): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  const at = yield* k.dma_buf_dynamic_attach(t, db, pagesDev(t, pages), ATTACH_OPS[o.revoke], pages);
  if (at < 0) return at;
  const resv = dma_buf_resv(t, db);
  yield* k.dma_resv_lock(t, resv, null);
  yield* k.mutex_lock(t, pagesMutex(t, pages));
  k.mutex_unlock(t, pagesMutex(t, pages));
  let ret = yield* k.dma_buf_pin(t, at as DmaBufAttachment);
  if (ret === 0) {
    const phys = symVfioPciDmaBufIommufdMap(t, at as DmaBufAttachment);
    if (typeof phys !== 'number') recordRange(t, pages, phys, dma_buf_size(t, db));
    else {
      ret = phys;
      if (o.unwind === 'unpin-then-detach') yield* k.dma_buf_unpin(t, at as DmaBufAttachment);
    }
  }
  k.dma_resv_unlock(t, resv);
  if (ret !== 0) yield* k.dma_buf_detach(t, db, at as DmaBufAttachment);
  else setPagesAttachment(t, pages, at);
  return ret;
}

/**
 * iopt_map_file_pages for a dma-buf fd (IOMMU_IOAS_MAP_FILE): take a file reference on `db` for
 * the pages (dma_buf_get(fd)), then iopt_map_dmabuf. On success the pages keep the reference
 * until iopt_release_pages puts it, so the VMM may close its fd while the area is mapped; on
 * failure it is put here. 0 or iopt_map_dmabuf's error. Context: process; no lock held.
 */
export function* iopt_map_file_pages(t: Task, db: DmaBuf, pages: number, o: IommufdKnobs = IOMMUFD_FIXED): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  k.dma_buf_get(t, db);
  const ret = yield* iopt_map_dmabuf(t, db, pages, o);
  if (ret !== 0) yield* k.dma_buf_put(t, db);
  return ret;
}

/**
 * iopt_area_fill_domains: track every domain of the IOAS (`domains`, in its order; none: nothing
 * to do) and install the recorded range in each, under pages->mutex (taken here), unless the range
 * is revoked (0: the domains stay empty). 0; -EINVAL when the area is tracked already (the WARN of
 * iopt_dmabuf_track_all_domains) or a domain is listed twice (iopt_dmabuf_track_domain's);
 * -ENOMEM when the tracker is full, or when the IOMMU table has no room for a domain's copy of the
 * range — unwound as out_unmap / out_untrack do: the domains filled before it unmapped, every
 * domain empty and untracked, the IOMMU table as it was; the pages stay attached and pinned for
 * the release. `o.fill` other than 'checked' and `o.fillUnwind` other than 'unmap-filled' are
 * bugs (iommufd_knobs.ts). Context: process, may sleep (iommu_map allocates page tables); resv
 * lock not required.
 */
export function* iopt_area_fill_domains(t: Task, pages: number, domains: readonly number[], o: IommufdKnobs = IOMMUFD_FIXED): KGen<number> {
  if (domains.length === 0) return 0;
  const k = symbols(t, THIS_MODULE);
  const locked = o.fill !== 'unlocked';
  if (locked) yield* k.mutex_lock(t, pagesMutex(t, pages));
  let rc = iopt_dmabuf_track_all_domains(t, pages, domains);
  if (rc === 0 && !(o.fill !== 'unchecked' && revoked(t, pages))) {
    rc = yield* fillTracked(t, pages, o);
    if (rc < 0) iopt_dmabuf_untrack_all_domains(t, pages);
  }
  if (locked) k.mutex_unlock(t, pagesMutex(t, pages));
  return rc;
}

/**
 * The fill loop over the tracked domains (pages->mutex held, unless the knob dropped it): map the
 * range into each in turn; when one fails, out_unmap unmaps the domains filled before it
 * ('unmap-filled') or, the knob's bug, only the one that failed, whose map left nothing behind
 * ('unmap-failed-only'). 0 or the failed map's -ENOMEM.
 */
function* fillTracked(t: Task, pages: number, o: IommufdKnobs): KGen<number> {
  const slots = tracked(t, pages);
  for (let i = 0; i < slots.length; i++) {
    const rc = yield* mapDomain(t, pages, slots[i]!);
    if (rc === 0) continue;
    if (o.fillUnwind === 'unmap-filled') for (const s of slots.slice(0, i)) unmapDomain(t, pages, s, 'iopt_area_fill_domains');
    return rc;
  }
  return 0;
}

/**
 * iopt_fill_domain (io_pagetable.c) for the pages' one area: `domain`, being attached to the IOAS
 * after the area was filled into its other domains, is tracked and, unless the range is revoked,
 * filled — under pages->mutex (taken here); a failed fill untracks it. 0; -EINVAL when the domain
 * is tracked already (iopt_dmabuf_track_domain's WARN); -ENOMEM (tracker full, or no room in the
 * IOMMU table). No knobs: the kernel's path. Caller: iopt_table_add_domain (iommufd_ioas.ts), with
 * domains_rwsem and iova_rwsem held for write, which lists the domain only on 0 (tests may call
 * it alone, for the tracker's WARNs). Context: process, may sleep; resv lock not required.
 */
export function* iopt_fill_domain(t: Task, pages: number, domain: number): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  yield* k.mutex_lock(t, pagesMutex(t, pages));
  let rc = iopt_dmabuf_track_domain(t, pages, domain);
  if (rc === 0 && !revoked(t, pages)) {
    rc = yield* mapDomain(t, pages, trackOf(t, pages, domain)!);
    if (rc < 0) iopt_dmabuf_untrack_domain(t, pages, domain);
  }
  k.mutex_unlock(t, pagesMutex(t, pages));
  return rc;
}

/**
 * iopt_area_unfill_domains: under pages->mutex (taken here), unmap the range from every tracked
 * domain unless revoke did, and untrack them (`o.unfill` 'keep-tracked': the bug that leaves them
 * tracked, iommufd_knobs.ts). Context: process; resv lock not required.
 */
export function* iopt_area_unfill_domains(t: Task, pages: number, o: IommufdKnobs = IOMMUFD_FIXED): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  yield* k.mutex_lock(t, pagesMutex(t, pages));
  if (!revoked(t, pages)) for (const s of tracked(t, pages)) unmapDomain(t, pages, s, 'iopt_area_unfill_domains');
  if (o.unfill === 'untrack') iopt_dmabuf_untrack_all_domains(t, pages);
  k.mutex_unlock(t, pagesMutex(t, pages));
}

/**
 * iopt_release_pages (the pages' last reference, after iopt_map_file_pages mapped `db`; their
 * areas are unfilled): unpin as `o.release` takes the locks (unpinForRelease), detach
 * (unlocked), put the pages' file reference — the last one
 * releases the buffer here — and WARN (IOPT_RELEASE_TRACKED) when a domain is still on the
 * pages' tracker. Nothing for pages never mapped. Context: process; no lock held.
 */
export function* iopt_release_pages(t: Task, db: DmaBuf, pages: number, o: IommufdKnobs = IOMMUFD_FIXED): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const at = pagesAttachment(t, pages);
  if (at < 0) return;
  yield* unpinForRelease(t, db, pages, at as DmaBufAttachment, o.release);
  yield* k.dma_buf_detach(t, db, at as DmaBufAttachment);
  setPagesAttachment(t, pages, -1);
  yield* k.dma_buf_put(t, db);
  if (tracked(t, pages).length !== 0) t.warn('IOPT_RELEASE_TRACKED', pages);
}

/**
 * iopt_release_pages' dma_buf_unpin of attachment `at`, locked as `how` says
 * (IommufdKnobs.release): under the resv lock ('unpin-locked', Ankit Soni's fix), without it
 * ('unpin-unlocked', as merged in 8c5f9645c389: dma_buf_unpin's dma_resv_assert_held fires), or
 * under the resv lock taken inside pages->mutex ('unpin-under-pages-mutex', S20 (b): the inversion
 * of the revoke callback's resv → pages->mutex order). Context: process; no lock held on entry or
 * return.
 */
function* unpinForRelease(t: Task, db: DmaBuf, pages: number, at: DmaBufAttachment, how: IommufdKnobs['release']): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const resv = dma_buf_resv(t, db);
  const nested = how === 'unpin-under-pages-mutex';
  if (nested) yield* k.mutex_lock(t, pagesMutex(t, pages));
  if (how !== 'unpin-unlocked') yield* k.dma_resv_lock(t, resv, null);
  yield* k.dma_buf_unpin(t, at);
  if (how !== 'unpin-unlocked') k.dma_resv_unlock(t, resv);
  if (nested) k.mutex_unlock(t, pagesMutex(t, pages));
}
