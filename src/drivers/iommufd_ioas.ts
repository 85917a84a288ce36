/**
 * An IOAS's io_pagetable (drivers/iommu/iommufd/io_pagetable.c, struct io_pagetable) as far as a
 * domain leaving it matters to a dma-buf's revoke: the dense list of the IOMMU domains attached
 * (iopt->domains, an xarray kept linear: indices 0 .. next_domain_id − 1), the two rwsems that
 * guard it and the IOVA tree, and the area of dma-buf pages mapped into it (the model's IOAS holds
 * at most one area: IOMMU_IOAS_MAP_FILE of one dma-buf).
 *
 * iopt_table_add_domain attaches a domain after setup (another device's HWPT): under both rwsems
 * for write it fills the area into the domain (iopt_fill_domain, under pages->mutex), then appends
 * it to the list, so the list and the area's tracker name the same domains.
 * iopt_table_remove_domain detaches a domain — the last device of its HWPT gone — while the
 * area stays filled into the others: under domains_rwsem and iova_rwsem, both for write, it moves
 * the last domain into the removed one's index, then iopt_unfill_domain takes pages->mutex,
 * unmaps the area from that one domain (unless revoked) and untracks it, from wherever it sits
 * in the tracker (iommufd_tracker.ts). The revoke callback, which takes pages->mutex only,
 * then walks the domains still tracked; the mutex is what keeps the two apart.
 *
 * The rwsems are modelled as mutexes, lockdep classes 'iopt_domains_rwsem' and 'iopt_iova_rwsem':
 * the model takes them only for write (the add and remove paths; the map and fill paths, which
 * take domains_rwsem for read, are modelled without it), and a write lock excludes everyone, as
 * a mutex does. Lock order: domains_rwsem → iova_rwsem → pages->mutex, as in the kernel.
 *
 * Words (driver-private, kzalloc_words): I_*, then the domain list (IOPT_DOMAINS_MAX words).
 * Context: process; the remove may sleep (the locks).
 */
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import { GFP_KERNEL_ACCOUNT } from '../kernel/gfp.js';
import { kzalloc_words, priv_load, priv_store } from '../kernel/priv.js';
import type { Task } from '../kernel/task.js';
import type { KGen, Mutex } from '../kernel/types.js';
import { EEXIST, ENOMEM } from '../errno/errno.js';
import { iopt_fill_domain } from './iommufd_importer.js';
import { IOMMUFD_FIXED, type IommufdKnobs } from './iommufd_knobs.js';
import { pagesMutex, revoked, unmapDomain, unmapRange } from './iommufd_pages.js';
import { IOPT_TRACK_MAX, iopt_dmabuf_untrack_domain, trackHandle, trackOf } from './iommufd_tracker.js';

const THIS_MODULE = moduleRef<KernelApi>('iommufd');

const I_DOMAINS_RWSEM = 0;
const I_IOVA_RWSEM = 1;
/** iopt->next_domain_id: the domains attached, at words I_DOMAIN .. I_DOMAIN + n − 1. */
const I_NDOMAINS = 2;
/** The area's iopt_pages + 1 (0: nothing mapped). */
const I_PAGES = 3;
const I_DOMAIN = 4;
/** Domains an IOAS holds: as many as one area's tracker can follow. */
export const IOPT_DOMAINS_MAX = IOPT_TRACK_MAX;
/** Private words of an IOAS (iopt_alloc_ioas). */
export const IOPT_IOAS_WORDS = I_DOMAIN + IOPT_DOMAINS_MAX;

/**
 * iopt_init_table + iopt_table_add_domain for each of `domains` (in that order; at most
 * IOPT_DOMAINS_MAX): an IOAS with those domains attached and nothing mapped. Made at setup: it
 * never sleeps.
 */
export function iopt_alloc_ioas(t: Task, domains: readonly number[]): number {
  const k = symbols(t, THIS_MODULE);
  const ioas = kzalloc_words(t, IOPT_IOAS_WORDS, GFP_KERNEL_ACCOUNT, iopt_alloc_ioas);
  priv_store(t, ioas + I_DOMAINS_RWSEM, k.mutex_init(t, 'iopt_domains_rwsem'));
  priv_store(t, ioas + I_IOVA_RWSEM, k.mutex_init(t, 'iopt_iova_rwsem'));
  domains.slice(0, IOPT_DOMAINS_MAX).forEach((d, i) => priv_store(t, ioas + I_DOMAIN + i, d));
  priv_store(t, ioas + I_NDOMAINS, Math.min(domains.length, IOPT_DOMAINS_MAX));
  return ioas;
}

/** The domains attached to `ioas`, in index order (xa_for_each over iopt->domains). */
export function iopt_domains(t: Task, ioas: number): number[] {
  return Array.from({ length: priv_load(t, ioas + I_NDOMAINS) }, (_, i) => priv_load(t, ioas + I_DOMAIN + i));
}

/** The area of `pages` mapped into `ioas` (`pages` −1: unmapped), as iopt_map_file_pages inserts
 *  it and iopt_unmap_iova removes it (iova_rwsem held in the kernel; the model's one VMM actor
 *  does both). */
export function iopt_set_area(t: Task, ioas: number, pages: number): void {
  priv_store(t, ioas + I_PAGES, pages + 1);
}

const rwsem = (t: Task, ioas: number, w: number): Mutex => priv_load(t, ioas + w) as Mutex;

/**
 * iopt_table_add_domain: attach `domain` to `ioas` (a device's HWPT joining it after setup).
 * Takes domains_rwsem and iova_rwsem for write; fills the IOAS's dma-buf area, if one is mapped,
 * into the domain (iopt_fill_domain, under pages->mutex) and only then appends the domain to the
 * list, so the list and the area's tracker gain it together or not at all. 0; -EEXIST when
 * `domain` is attached already — WARN_ON(iter_domain == domain), IOPT_ADD_DOMAIN_TWICE on the
 * IOAS —; -ENOMEM when the list is full (xa_reserve) or the fill's error (nothing attached).
 * Context: process, may sleep; no lock held.
 */
export function* iopt_table_add_domain(t: Task, ioas: number, domain: number): KGen<number> {
  const k = symbols(t, THIS_MODULE);
  yield* k.mutex_lock(t, rwsem(t, ioas, I_DOMAINS_RWSEM));
  yield* k.mutex_lock(t, rwsem(t, ioas, I_IOVA_RWSEM));
  const rc = yield* addDomainLocked(t, ioas, domain);
  k.mutex_unlock(t, rwsem(t, ioas, I_IOVA_RWSEM));
  k.mutex_unlock(t, rwsem(t, ioas, I_DOMAINS_RWSEM));
  return rc;
}

/** iopt_table_add_domain's body: both rwsems held for write by the caller. */
function* addDomainLocked(t: Task, ioas: number, domain: number): KGen<number> {
  const list = iopt_domains(t, ioas);
  if (list.includes(domain)) {
    t.warn('IOPT_ADD_DOMAIN_TWICE', ioas);
    return -EEXIST;
  }
  if (list.length >= IOPT_DOMAINS_MAX) return -ENOMEM;
  const pages = priv_load(t, ioas + I_PAGES) - 1;
  const rc = pages >= 0 ? yield* iopt_fill_domain(t, pages, domain) : 0;
  if (rc !== 0) return rc;
  priv_store(t, ioas + I_DOMAIN + list.length, domain);
  priv_store(t, ioas + I_NDOMAINS, list.length + 1);
  return 0;
}

/**
 * iopt_table_remove_domain: detach `domain` from `ioas`. Takes domains_rwsem and iova_rwsem for
 * write; a domain not attached is WARN_ON(iter_domain != domain), IOPT_REMOVE_DOMAIN_ABSENT on
 * the IOAS, and nothing more. Otherwise the last domain moves into its index, and
 * iopt_unfill_domain takes it out of the area (`o.detach`: with pages->mutex, or the knob's bug
 * without it). Context: process, may sleep; no lock held.
 */
export function* iopt_table_remove_domain(t: Task, ioas: number, domain: number, o: IommufdKnobs = IOMMUFD_FIXED): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  yield* k.mutex_lock(t, rwsem(t, ioas, I_DOMAINS_RWSEM));
  yield* k.mutex_lock(t, rwsem(t, ioas, I_IOVA_RWSEM));
  const list = iopt_domains(t, ioas);
  const index = list.indexOf(domain);
  if (index < 0) t.warn('IOPT_REMOVE_DOMAIN_ABSENT', ioas);
  else {
    const last = list.length - 1;
    priv_store(t, ioas + I_NDOMAINS, last);
    priv_store(t, ioas + I_DOMAIN + index, list[last]!);
    const pages = priv_load(t, ioas + I_PAGES) - 1;
    if (pages >= 0) yield* (o.detach === 'unmap-locked' ? iopt_unfill_domain : unfillDomainUnlocked)(t, pages, domain);
  }
  k.mutex_unlock(t, rwsem(t, ioas, I_IOVA_RWSEM));
  k.mutex_unlock(t, rwsem(t, ioas, I_DOMAINS_RWSEM));
}

/**
 * iopt_unfill_domain for the IOAS's dma-buf area, `pages`: under pages->mutex (taken here), unmap
 * the area from `domain` unless the range is revoked (iopt_area_unmap_domain; a domain that is
 * not tracked has no mapping the model knows of; a revoked range is taken as unmapped from every
 * tracked domain, so with the revoke callback's first-only bug the detached domain keeps its
 * mapping, untracked), then untrack it (iopt_dmabuf_untrack_domain: IOPT_UNTRACK_ABSENT when it
 * is not on the tracker). Caller: holds domains_rwsem and iova_rwsem for write, and has taken
 * `domain` off the domain list.
 */
function* iopt_unfill_domain(t: Task, pages: number, domain: number): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  yield* k.mutex_lock(t, pagesMutex(t, pages));
  const s = trackOf(t, pages, domain);
  if (!revoked(t, pages) && s !== undefined) unmapDomain(t, pages, s, 'iopt_unfill_domain');
  iopt_dmabuf_untrack_domain(t, pages, domain);
  k.mutex_unlock(t, pagesMutex(t, pages));
}

/**
 * The 'unmap-unlocked' bug (iommufd_knobs.ts): iopt_unfill_domain without pages->mutex — the
 * revoked check and the mapping read, a scheduling point (the window another CPU's revoke
 * runs in), then the unmap of what was read and the untrack. Same caller contract.
 */
function* unfillDomainUnlocked(t: Task, pages: number, domain: number): KGen<void> {
  const s = trackOf(t, pages, domain);
  const handle = revoked(t, pages) || s === undefined ? 0 : trackHandle(t, s);
  yield* symbols(t, THIS_MODULE).cond_resched(t, pages);
  if (handle !== 0) unmapRange(t, pages, domain, handle, 'iopt_unfill_domain');
  iopt_dmabuf_untrack_domain(t, pages, domain);
}
