/**
 * The pinned RDMA importer's knobs (drivers/infiniband/core/umem_dmabuf.c): each reproduces a bug
 * of ib_umem_dmabuf_get_pinned, or its fix. Named after what they do; the defaults (RDMA_FIXED)
 * are the kernel with the fix.
 */
export interface RdmaKnobs {
  /**
   * ib_umem_dmabuf_get_pinned_with_dma_device when ib_umem_dmabuf_map_pages fails after the pin
   * (the exporter's map_dma_buf failed, or the KERNEL fence wait did): 'release' goes straight to
   * ib_umem_release, whose ib_umem_dmabuf_release (ib_umem_dmabuf_revoke) unmaps what was mapped
   * and unpins once, as `pinned` is set — the fixed kernel, whose error path has no err_unpin
   * label. 'unpin-then-release' is the code from the pinned import's introduction until that fix:
   * the err_unpin label's dma_buf_unpin, then the same release, which unpins a second time (and,
   * when only the fence wait failed, unpins before it unmaps).
   */
  readonly mapFailure: 'release' | 'unpin-then-release';
}

export const RDMA_FIXED: RdmaKnobs = { mapFailure: 'release' };
