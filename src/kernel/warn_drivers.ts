/**
 * The driver-model area of the WARN/BUG table (warn.ts): the iommufd dma-buf revoke tracker's
 * checks, the revoke contract's annotations and the VFIO / mlx5 models' own checks.
 */
export const DRIVER_SPECS = [
  ['IOPT_RELEASE_TRACKED', 'assertion', 'iopt_release_pages', 'WARN_ON(!list_empty(&pages->dmabuf.tracker)): a dma-buf\'s iopt_pages released with an IOMMU domain still on their revoke tracker'],
  ['IOPT_TRACK_DOMAIN_TWICE', 'assertion', 'iopt_dmabuf_track_domain', 'WARN_ON(track->domain == domain && track->area == area): an IOMMU domain tracked twice for the same area of a dma-buf\'s iopt_pages'],
  ['IOPT_TRACK_AREA_TWICE', 'assertion', 'iopt_dmabuf_track_all_domains', 'WARN_ON(track->area == area): an area of a dma-buf\'s iopt_pages filled into its IOAS\'s domains while already on their revoke tracker'],
  ['IOPT_UNTRACK_ABSENT', 'assertion', 'iopt_dmabuf_untrack_domain', 'WARN_ON(true): an IOMMU domain unfilled from an area of a dma-buf\'s iopt_pages that is not on their revoke tracker (never tracked, or untracked already)'],
  ['IOPT_ADD_DOMAIN_TWICE', 'assertion', 'iopt_table_add_domain', 'WARN_ON(iter_domain == domain): an IOMMU domain attached to an IOAS it is attached to already'],
  ['IOPT_REMOVE_DOMAIN_ABSENT', 'assertion', 'iopt_table_remove_domain', 'WARN_ON(iter_domain != domain): an IOMMU domain removed from an IOAS it is not attached to'],
  // Not a check the kernel makes: the revoke contract (kernel-semantics §4.8, §8 item 6) lets the
  // exporter reuse the memory once its revoke returns, so an importer mapping still live then is
  // the S3/S21 bug before any access shows it. Titled after the annotation, as revoke_complete's.
  ['REVOKE_LIVE_MAPPINGS', 'assertion', 'revoke_return', 'exporter revoke returned while an importer still has the buffer mapped (live mappings > 0)'],
  // The v5 posting's WARN when its 1 s unmap wait timed out (NAKed; kernel-semantics §4.8, S21).
  ['VFIO_UNMAP_TIMEOUT', 'assertion', 'vfio_pci_dma_buf_move', 'Timed out waiting for DMABUF unmap, importer has a broken invalidate_mapping()'],
  ['MLX5_UMR_REVOKED_MKEY', 'use-after-free', 'mlx5r_umr_update_mr_pas', 'UMR posted on an mkey deregistration revoked already (its MR still reachable from the umem): the UMR QP completes with an error CQE'],
  ['VFIO_REVOKED_AFTER_RESET', 'hang', 'vfio_pci_try_reset_function', 'dma-buf still revoked after a function reset with memory enabled: nothing un-revokes it, so its importers\' re-maps get -ENODEV indefinitely'],
] as const;
