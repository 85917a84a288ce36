/**
 * The iommufd importer's knobs: each reproduces a bug of the dma-buf support in pages.c, or its
 * fix. Named after what they do; the defaults (IOMMUFD_FIXED) are the kernel with every fix.
 * The knobs are the calling actor's: they steer the paths that actor runs (map, fill, unfill,
 * release); the revoke callback, which the exporter's actor runs, has none. `unwind:
 * 'skip-unpin'` and `release: 'unpin-unlocked'` were in kernels; the two buggy `fill` settings
 * and `unfill: 'keep-tracked'` never were (the revoked check and the tracker came with the
 * series, before revoke was reachable): they are the mistakes a driver filling an IOMMU domain
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
  /** iopt_release_pages' dma_buf_unpin: with the resv lock held (Ankit Soni's fix), or without it
   *  as merged in 8c5f9645c389 "iommufd: Add dma_buf_pin()" (dma_buf_unpin's assert fires). */
  readonly release: 'unpin-locked' | 'unpin-unlocked';
}

export const IOMMUFD_FIXED: IommufdKnobs = {
  unwind: 'unpin-then-detach', fill: 'checked', unfill: 'untrack', release: 'unpin-locked',
};
