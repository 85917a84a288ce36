/**
 * The dma-buf area of the WARN/BUG table (warn.ts) added after the driver rows: the dma-buf core's
 * later checks. Their codes follow the driver rows' (warn_drivers.ts), so earlier codes stay.
 */
export const DMABUF_SPECS = [
  // dma_buf_release's BUG_ON, after the vmap one: a poll callback still armed when the last file
  // reference goes (S14 before ff2d23843f7f gave the armed callback a file reference).
  ['DMABUF_RELEASE_POLL_ACTIVE', 'assertion', 'dma_buf_release', 'BUG_ON(dmabuf->cb_in.active || dmabuf->cb_out.active): dma-buf released with a dma_buf_poll fence callback still armed'],
] as const;
