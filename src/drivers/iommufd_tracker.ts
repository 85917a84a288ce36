/**
 * The revoke tracker of a dma-buf's iopt_pages (pages->dmabuf.tracker, a list of struct
 * iopt_pages_dmabuf_track in pages.c): the IOMMU domains the pages' area is filled into. The
 * revoke callback cannot reach them through the IOAS — it would need iopt->domains_rwsem, which
 * nests outside pages->mutex —, so every path that fills or unfills a domain keeps this list in
 * step under pages->mutex, and iopt_revoke_notify unmaps what it names.
 *
 * The model's pages have one area, so an entry is a domain (the kernel's (area, domain) pair) and
 * the model's record of what iommu_map installed in it for the area: the IOMMU-table mapping
 * handle, 0 while none. Entries keep the order they were tracked in (list_add_tail); the list is
 * bounded: a track beyond IOPT_TRACK_MAX entries fails -ENOMEM, as the entry's kzalloc may.
 *
 * Words (driver-private): the tracker is the first IOPT_TRACKER_WORDS words of its iopt_pages
 * (iommufd_pages.ts embeds it there, as struct iopt_pages_dmabuf embeds the list head), so the
 * functions take the pages handle; per slot, the domain + 1 (0: free) and the handle.
 * Locking: pages->mutex held by the caller (lockdep_assert_held in the kernel). Context: any;
 * nothing here sleeps.
 */
import { EINVAL, ENOMEM } from '../errno/errno.js';
import { priv_load, priv_store } from '../kernel/priv.js';
import type { Task } from '../kernel/task.js';

/** Entries a tracker holds: the most IOMMU domains one area of dma-buf pages is filled into. */
export const IOPT_TRACK_MAX = 4;
const S_DOMAIN = 0;
const S_HANDLE = 1;
const SLOT_WORDS = 2;
/** Private words of a tracker (at the start of its iopt_pages). */
export const IOPT_TRACKER_WORDS = IOPT_TRACK_MAX * SLOT_WORDS;

/** An entry of the tracker: the word index of its slot. */
export type TrackSlot = number & { readonly __trackSlot: unique symbol };

const slotAt = (pages: number, i: number): TrackSlot => (pages + i * SLOT_WORDS) as TrackSlot;

/**
 * The tracked entries of `pages`, in the order they were tracked (list_for_each_entry): a track
 * takes the first free slot, and an untrack moves the later entries down one slot (list_del), so
 * the slots in use are always the first ones, in list order. A TrackSlot names a position, not
 * an entry: one taken before an untrack of an earlier entry names the next entry after it, so no
 * caller holds one across an untrack (pages->mutex, held by both, sees to it).
 */
export function tracked(t: Task, pages: number): TrackSlot[] {
  const out: TrackSlot[] = [];
  for (let i = 0; i < IOPT_TRACK_MAX; i++) {
    const s = slotAt(pages, i);
    if (priv_load(t, s + S_DOMAIN) !== 0) out.push(s);
  }
  return out;
}

/** The domain of entry `s`. */
export const trackDomain = (t: Task, s: TrackSlot): number => priv_load(t, s + S_DOMAIN) - 1;

/** The IOMMU-table mapping installed in entry `s`'s domain for the area, 0 = none. */
export const trackHandle = (t: Task, s: TrackSlot): number => priv_load(t, s + S_HANDLE);

/** Record (or clear, 0) the mapping installed in entry `s`'s domain. */
export function setTrackHandle(t: Task, s: TrackSlot, handle: number): void {
  priv_store(t, s + S_HANDLE, handle);
}

/** The entry of `domain`, or undefined when it is not tracked. */
export function trackOf(t: Task, pages: number, domain: number): TrackSlot | undefined {
  return tracked(t, pages).find((s) => trackDomain(t, s) === domain);
}

/**
 * iopt_dmabuf_track_domain: add `domain` to the tracker of `pages`. 0; -EINVAL when it is tracked
 * already — WARN_ON(track->domain == domain && track->area == area), IOPT_TRACK_DOMAIN_TWICE, on
 * the pages —; -ENOMEM when the tracker is full.
 */
export function iopt_dmabuf_track_domain(t: Task, pages: number, domain: number): number {
  if (trackOf(t, pages, domain) !== undefined) {
    t.warn('IOPT_TRACK_DOMAIN_TWICE', pages);
    return -EINVAL;
  }
  for (let i = 0; i < IOPT_TRACK_MAX; i++) {
    const s = slotAt(pages, i);
    if (priv_load(t, s + S_DOMAIN) !== 0) continue;
    priv_store(t, s + S_HANDLE, 0);
    priv_store(t, s + S_DOMAIN, domain + 1);
    return 0;
  }
  return -ENOMEM;
}

/**
 * iopt_dmabuf_untrack_domain: take `domain` off the tracker of `pages` (list_del: the entries
 * after it move down one slot, keeping their order). Not on it: WARN_ON(true),
 * IOPT_UNTRACK_ABSENT on the pages — a domain unfilled that was never tracked, or untracked twice.
 */
export function iopt_dmabuf_untrack_domain(t: Task, pages: number, domain: number): void {
  const slots = tracked(t, pages);
  const i = slots.findIndex((s) => trackDomain(t, s) === domain);
  if (i < 0) {
    t.warn('IOPT_UNTRACK_ABSENT', pages);
    return;
  }
  for (let j = i; j + 1 < slots.length; j++) {
    priv_store(t, slots[j]! + S_DOMAIN, priv_load(t, slots[j + 1]! + S_DOMAIN));
    priv_store(t, slots[j]! + S_HANDLE, priv_load(t, slots[j + 1]! + S_HANDLE));
  }
  priv_store(t, slots[slots.length - 1]! + S_DOMAIN, 0);
}

/**
 * iopt_dmabuf_track_all_domains: track every domain of the IOAS (`domains`, in its order) for the
 * pages' area. 0; -EINVAL when the area is tracked already — WARN_ON(track->area == area),
 * IOPT_TRACK_AREA_TWICE, on the pages: with one area per pages, any entry —; or the first track's
 * error, after untracking what this call tracked (err_untrack).
 */
export function iopt_dmabuf_track_all_domains(t: Task, pages: number, domains: readonly number[]): number {
  if (tracked(t, pages).length !== 0) {
    t.warn('IOPT_TRACK_AREA_TWICE', pages);
    return -EINVAL;
  }
  for (const d of domains) {
    const rc = iopt_dmabuf_track_domain(t, pages, d);
    if (rc !== 0) {
      iopt_dmabuf_untrack_all_domains(t, pages);
      return rc;
    }
  }
  return 0;
}

/** iopt_dmabuf_untrack_all_domains: take every domain of the pages' area off their tracker. */
export function iopt_dmabuf_untrack_all_domains(t: Task, pages: number): void {
  for (let i = 0; i < IOPT_TRACK_MAX; i++) priv_store(t, slotAt(pages, i) + S_DOMAIN, 0);
}
