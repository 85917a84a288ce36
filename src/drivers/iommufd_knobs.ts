/**
 * The iommufd importer's knobs: each reproduces a bug of the dma-buf support in pages.c, or its
 * fix. Named after what they do; the defaults (IOMMUFD_FIXED) are the kernel with every fix.
 * The knobs are the calling actor's: they steer the paths that actor runs (map, fill, unfill,
 * release); the revoke callback, which the exporter's actor runs, follows `revoke` through the
 * attach ops the map chose. `unwind: 'skip-unpin'` and `release: 'unpin-unlocked'` were in
 * kernels; the other buggy settings never were (the revoked check and the tracker came with the
 * series, before revoke was reachable): they are the mistakes a driver filling IOMMU domains
 * from a revocable range can make.
 */
export interface IommufdKnobs {
  /** Unwind of a failed private map: unpin before detach (fix) or forget the unpin (S20). */
  readonly unwind: 'unpin-then-detach' | 'skip-unpin';
  /**
   * Filling the domain from the recorded range (iopt_area_fill_domains): under pages->mutex,
   * leaving a revoked range (phys.len == 0) unmapped ('checked', since "iommufd: Do not map/unmap
   * revoked DMABUFs"); under the mutex without that check, mapping the range the attach recorded
   * whatever revoke did since ('unchecked', as if that patch were missing); or checking `revoked`
   * and mapping without the mutex the revoke callback takes ('unlocked': a revoke between the
   * check and the map finds nothing to unmap, and the stale range is mapped after it).
   */
  readonly fill: 'checked' | 'unchecked' | 'unlocked';
  /**
   * Unfilling the domain (iopt_area_unfill_domains): unmap the range unless revoked and take the
   * domain off the dma-buf tracker ('untrack': "iommufd: Allow a DMABUF to be revoked", which
   * brought the tracker, untracks wherever a domain is unfilled), or unmap only ('keep-tracked', as
   * if that hunk were missing: the pages are released with the domain still tracked, and
   * iopt_release_pages' WARN_ON(!list_empty(&pages->dmabuf.tracker)) fires).
   */
  readonly unfill: 'untrack' | 'keep-tracked';
  /**
   * The revoke callback (iopt_revoke_notify) over the tracker: unmap the range from every tracked
   * domain ('unmap-all-tracked', list_for_each_entry) or from the first only
   * ('unmap-first-tracked': a callback written while an IOAS area had one domain — as this model
   * was —, list_first_entry where the loop belongs: the devices of the other domains keep DMA
   * access to the revoked range, and the unfill, seeing it revoked, leaves their mappings in place
   * too: at trial end they outlive the pages' attachment, LEAK_DMA_MAPPING). Picked at attach:
   * iopt_map_dmabuf attaches with the ops whose callback this is.
   */
  readonly revoke: 'unmap-all-tracked' | 'unmap-first-tracked';
  /**
   * out_unmap of iopt_area_fill_domains when a domain's fill fails after others succeeded: unmap
   * the domains filled before it ('unmap-filled', the kernel's loop over every domain up to the
   * failed index), or only the domain that failed ('unmap-failed-only': the unwind of the
   * one-domain iopt_area_fill_domain copied into the loop over domains). out_untrack then takes
   * every domain off the tracker either way, so with the bug the domains filled first stay mapped
   * but untracked: no revoke reaches them, and their devices keep DMA access to the revoked — and
   * later freed — memory.
   */
  readonly fillUnwind: 'unmap-filled' | 'unmap-failed-only';
  /**
   * iopt_unfill_domain for a domain detached from the IOAS (iopt_table_remove_domain,
   * iommufd_ioas.ts): check `revoked`, unmap the area from that domain and untrack it, all under
   * pages->mutex ('unmap-locked', the kernel's dma-buf branch), or as the branch for other pages
   * does it, without the mutex ('unmap-unlocked': a revoke between the check and the unmap —
   * another CPU; the model opens the window with a scheduling point — unmaps the domain first,
   * and the detach unmaps the same IOVA range again: iommu_unmap_nofail's WARN, DMA_UNMAP_UNMAPPED
   * here).
   */
  readonly detach: 'unmap-locked' | 'unmap-unlocked';
  /**
   * iopt_release_pages' dma_buf_unpin: with the resv lock held (Ankit Soni's fix), or without it
   * as merged in 8c5f9645c389 "iommufd: Add dma_buf_pin()" (dma_buf_unpin's assert fires), or
   * with the resv lock taken inside pages->mutex ('unpin-under-pages-mutex', S20 (b): a path
   * taking pages->mutex then the resv lock, against the resv → pages->mutex order of the revoke
   * callback that iopt_map_dmabuf primes — lockdep's circular-locking report, and a deadlock
   * when the revoke holds the resv lock meanwhile). That last one never was in a kernel: it is
   * the inversion §6 S20 says the priming exists to catch.
   */
  readonly release: 'unpin-locked' | 'unpin-unlocked' | 'unpin-under-pages-mutex';
}

export const IOMMUFD_FIXED: IommufdKnobs = {
  unwind: 'unpin-then-detach', fill: 'checked', unfill: 'untrack', release: 'unpin-locked',
  revoke: 'unmap-all-tracked', fillUnwind: 'unmap-filled', detach: 'unmap-locked',
};
