/**
 * The page table (device and system memory, kernel/memory.ts), at `Layout.pages`; page 0 is the
 * nirvana page. Shadow state for the KASAN-like detector: every page, like every DMA address
 * (iovas.ts), remembers who last changed it and at which step.
 */

/** Page state (PGS_*), owner dma-buf (id + 1), generation (bumped when freed), and who freed it.
 *  Pages are taken lowest free first with a CAS on PG_STATE before their other words are written,
 *  and a taken page is never PGS_FREE again within a trial: the pages taken are a prefix of the
 *  table (from page 1), which is all a trial reset zeroes (cursor_tables.ts). */
export const PG_STATE = 0;
export const PG_OWNER = 1;
export const PG_GEN = 2;
export const PG_FREED_BY = 3;
export const PG_FREED_STEP = 4;
export const PG_ALLOC_BY = 5;
export const PAGE_WORDS = 6;
export const PGS_FREE = 0;
export const PGS_OWNED = 1;
export const PGS_NIRVANA = 2;
export const PGS_QUARANTINED = 3;
/** Owned, but the destination of a pipelined move whose copy (guarded by the exporter's KERNEL
 *  move fence) has not completed: entered from OWNED and left for OWNED only with a CAS
 *  (memory.ts phys_move_begin / phys_move_done, which wait out a FREEING claim), read by
 *  dma_access.ts (a device access to it is reported). Never claimed by phys_alloc. */
export const PGS_MOVING = 4;
/** Being freed or renewed: claimed (CAS from OWNED or MOVING) by the task in phys_free or
 *  phys_replace, which alone writes the page's words, then stores QUARANTINED (or, renewing it,
 *  the state it had). Never claimed by phys_alloc; a racing free, move_begin or move_done waits
 *  it out. */
export const PGS_FREEING = 5;
