/**
 * The WARN/BUG table's (warn.ts) dma-buf core rows: export, attach and detach, pin, map, vmap,
 * file references and release.
 */
export const DMABUF_SPECS = [
  ['DMABUF_EXPORT_INVALID', 'assertion', 'dma_buf_export', 'export without priv or ops, or with ops lacking map_dma_buf, unmap_dma_buf or release'],
  ['DMABUF_ATTACH_NO_INVALIDATE', 'assertion', 'dma_buf_dynamic_attach', 'importer ops without invalidate_mappings (v3)'],
  ['DMABUF_PIN_STATIC', 'assertion', 'dma_buf_pin', 'pinning a static attachment'],
  ['DMABUF_UNPIN_UNDERFLOW', 'refcount-underflow', 'dma_buf_unpin', 'unpin without a pin'],
  ['DMABUF_UNMAP_UNDERFLOW', 'refcount-underflow', 'dma_buf_unmap_attachment', 'unmap without a mapping'],
  ['DMABUF_PIN_EBUSY', 'assertion', 'dma_buf_map_attachment', 'exporter refused to pin (-EBUSY) despite attachments'],
  ['DMABUF_DETACH_PINNED', 'leak', 'dma_buf_detach', 'detach with the attachment still pinned'],
  ['DMABUF_DETACH_MAPPED', 'leak', 'dma_buf_detach', 'detach with a live mapping'],
  ['DMABUF_DETACH_MISMATCH', 'assertion', 'dma_buf_detach', 'attachment of another dma-buf'],
  ['DMABUF_RELEASE_ATTACHED', 'leak', 'dma_buf_release', 'dma-buf released with attachments'],
  ['DMABUF_RELEASE_VMAPPED', 'assertion', 'dma_buf_release', 'dma-buf released while vmapped'],
  // dma_buf_release's BUG_ON, after the vmap one: a poll callback still armed when the last file
  // reference goes (S14 before ff2d23843f7f gave the armed callback a file reference).
  ['DMABUF_RELEASE_POLL_ACTIVE', 'assertion', 'dma_buf_release', 'BUG_ON(dmabuf->cb_in.active || dmabuf->cb_out.active): dma-buf released with a dma_buf_poll fence callback still armed'],
  ['DMABUF_PUT_UNDERFLOW', 'refcount-underflow', 'dma_buf_put', 'dma-buf file reference count below zero'],
  ['DMABUF_UNSUPPORTED_INVALIDATE', 'assertion', 'dma_buf_unsupported_invalidate_mappings', 'invalidate callback should not be called when memory is pinned'],
  ['DMABUF_VUNMAP_UNDERFLOW', 'refcount-underflow', 'dma_buf_vunmap', 'vunmap without a vmap (vmapping_counter is 0)'],
  ['DMABUF_UNPIN_STATIC', 'assertion', 'dma_buf_unpin', 'unpinning a static attachment'],
  ['DMABUF_GET_RELEASED', 'use-after-free', 'dma_buf_get', 'refcount_t: addition on 0; use-after-free (file reference taken on a released dma-buf)'],
  ['DMABUF_USE_AFTER_FREE', 'use-after-free', 'dma_buf_dynamic_attach', 'dma-buf used after its last file reference was dropped'],
  ['DMABUF_ATTACH_USE_AFTER_FREE', 'use-after-free', 'dma_buf_detach', 'attachment used after dma_buf_detach unlinked and freed it'],
  ['DMABUF_GET_SATURATED', 'leak', 'dma_buf_get', 'refcount_t: saturated; leaking memory (file reference taken on a dma-buf whose count an earlier misuse saturated)'],
  ['DMABUF_VMAP_FAILED', 'assertion', 'dma_buf_vmap', 'WARN_ON_ONCE(ret): the exporter\'s vmap failed'],
  ['DMABUF_EXPORT_PIN_UNPIN', 'assertion', 'dma_buf_export', 'exporter ops have only one of pin/unpin'],
] as const;
