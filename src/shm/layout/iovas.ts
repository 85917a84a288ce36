/** The IOMMU table (kernel/iommu.ts; one entry per DMA address page), at `Layout.iovas`: shadow
 *  state like the pages' (pages.ts); entries are reclaimed (see handles.ts). */

/** IOMMU entry: state (IOS_*), target page, page generation when mapped, mapping attachment
 *  (id + 1), device, and who mapped / redirected / unmapped it at which step. Written by the
 *  mapping task (state last, atomic), or by the task that claimed the entry to unmap or redirect
 *  it (IOS_UNMAPPING / IOS_REDIRECTING, then the final state; iova_entry.ts); read by the DMA
 *  engine's access check and the revoke/remove invariants. */
export const IO_STATE = 0;
export const IO_PAGE = 1;
export const IO_GEN = 2;
export const IO_ATTACH = 3;
export const IO_DEV = 4;
export const IO_MAPPED_BY = 5;
export const IO_MAP_STEP = 6;
export const IO_CHANGED_BY = 7;
export const IO_CHANGE_STEP = 8;
/** Handle generation of the entry (see HANDLE_BITS; the full counter, compared in its low bits):
 *  written by dma_map_sg when it (re)uses the entry, one more than the highest generation in the
 *  range it maps, before the atomic store of IO_STATE = VALID; read by the access check and by
 *  dma_unmap_sg / redirect, which ignore a handle of another generation (dma_unmap_sg reports
 *  it). */
export const IO_HGEN = 9;
/** Free-range link (first row + 1 of the next free range, 0 = end) and the range's length, valid
 *  in the first entry of a free range. Written and read only with C_IOVA_LOCK held. */
export const IO_NEXT_FREE = 10;
export const IO_LEN = 11;
/** The previous mapping of a reused entry: who mapped it at which step, who unmapped it at which
 *  step. Copied by dma_map_sg from the MAPPED/CHANGED words before it overwrites them; read by
 *  the access check to report a stale DMA address (older generation) as the dma-after-unmap it
 *  was before the reuse. */
export const IO_PREV_MAPPED_BY = 12;
export const IO_PREV_MAP_STEP = 13;
export const IO_PREV_CHANGED_BY = 14;
export const IO_PREV_CHANGE_STEP = 15;
export const IOVA_WORDS = 16;
export const IOS_FREE = 0;
export const IOS_VALID = 1;
export const IOS_NIRVANA = 2;
export const IOS_UNMAPPED = 3;
/** Claimed by a task that is unmapping (→ UNMAPPED) or redirecting (→ NIRVANA) the entry: the
 *  claimer alone writes the entry's words, then stores the final state (iova_entry.ts). Readers
 *  that report who changed the entry wait the claim out; none sleeps on it (no notify). */
export const IOS_UNMAPPING = 4;
export const IOS_REDIRECTING = 5;
