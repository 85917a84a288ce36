/**
 * The WARN/BUG table's (warn.ts) device-memory rows: a device's access through a mapping
 * (dma_access.ts: KASAN-style, once per page), a CPU's access through a user mapping's PTE
 * (cpu_mapping.ts, likewise), the DMA-API, the page table's free, move and reuse,
 * device removal, and the revoke annotation on the reservation object's fences.
 */
export const DMA_SPECS = [
  ['DMA_USE_AFTER_FREE', 'use-after-free', 'dma_engine_access', 'device access to a page freed or reused since it was mapped'],
  ['DMA_BEFORE_MOVE_DONE', 'use-after-free', 'dma_engine_access', 'device access to a page a pipelined move is still copying into (its KERNEL move fence is unsignaled)'],
  ['DMA_USE_AFTER_REVOKE', 'use-after-revoke', 'dma_engine_access', 'device access after the exporter completed revoke'],
  ['DMA_WRITE_NIRVANA', 'use-after-revoke', 'dma_engine_access', 'device write through a mapping redirected to the nirvana page'],
  ['CPU_USE_AFTER_FREE', 'use-after-free', 'cpu_access', 'CPU access through a PTE to a page freed or reused since the fault handler installed it'],
  ['CPU_USE_AFTER_REVOKE', 'use-after-revoke', 'cpu_access', 'CPU access through a PTE still present after the exporter\'s revoke returned (never zapped, or installed after the zap)'],
  ['DMA_AFTER_UNMAP', 'dma-after-unmap', 'dma_engine_access', 'device access through a DMA address already unmapped (IOMMU fault)'],
  ['DMA_USE_AFTER_REMOVE', 'use-after-remove', 'dma_unmap_sg', 'DMA-API call on a device already removed'],
  ['DMA_UNMAP_UNMAPPED', 'dma-after-unmap', 'dma_unmap_sg', 'DMA-API: device driver tries to free DMA memory it has not allocated (unmapped already, or never mapped)'],
  ['PAGE_BAD_FREE', 'use-after-free', 'phys_free', 'double-free or invalid-free: the page is free or quarantined already, the nirvana page, or not in the page table'],
  ['PAGE_BAD_MOVE', 'use-after-free', 'phys_move_begin', 'pipelined move into a page the buffer does not own: free or quarantined (freed), already moving, the nirvana page, or not in the page table'],
  // Fires in phys_replace (any exporter's reuse), titled after the exporter function the caller
  // names (VFIO: vfio_pci_try_reset_function), or after phys_replace when it names none.
  ['REUSE_BEFORE_UNMAP', 'use-after-free', 'phys_replace', 'exporter reused device memory still mapped by an importer'],
  ['REMOVE_WITH_MAPPINGS', 'use-after-remove', 'device_remove', 'remove() returned with importer mappings still live'],
  ['REVOKE_FENCES_PENDING', 'assertion', 'revoke_complete', 'revoke returned with unsignaled fences in the reservation object'],
] as const;
