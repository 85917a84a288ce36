/**
 * The CPU mappings of dma-bufs (kernel/cpu_mapping.ts), at `Layout.vmas`: VMA_ROWS user vmas, each
 * one actor's mmap of one dma-buf, with a page table entry per page of the mapping. Not sized by
 * the geometry: only scenarios that mmap a dma-buf take rows, and a trial reset zeroes only the
 * rows taken (cursor_tables.ts: keyed on VM_OWNER).
 */

/** Rows of the table: the vmas one trial may create. */
export const VMA_ROWS = 8;
/** Page table entries per vma: the model's limit on a mapping's length (dma_buf_mmap refuses a
 *  longer one: ERR_SCENARIO). */
export const VMA_MAX_PTES = 16;
/** The actor that created the vma, + 1: the row's key, taken with a CAS before any other word is
 *  written (vm_area_alloc) and never zero again within the trial — also after vm_munmap, so a
 *  row is never reused within a trial (VMA_ROWS bounds the vmas a trial creates, unmapped ones
 *  included) and the walks that stop at the first free row see every row taken. */
export const VM_OWNER = 0;
/** The dma-buf the vma maps (vma->vm_file, whose file reference the vma holds), + 1; 0 before
 *  dma_buf_mmap; VM_MMAP_FAILED once the exporter's mmap refused it, VM_UNMAPPED once vm_munmap
 *  removed it. Written by dma_buf_mmap and vm_munmap (the owner), read by every other access. */
export const VM_DMABUF = 1;
/** VM_DMABUF of a vma vm_munmap removed: the row's tombstone (no buffer: the walks of a buffer's
 *  vmas skip it; no file reference). */
export const VM_UNMAPPED = -1;
/** VM_DMABUF of a vma whose mmap failed, which the kernel frees (mmap_region): a tombstone as
 *  VM_UNMAPPED is, for a vma that never mapped anything (cpu_mapping.ts vma_mmap_unwind). */
export const VM_MMAP_FAILED = -2;
/** vma->vm_pgoff: the first page of the buffer the vma maps. Written with VM_DMABUF. */
export const VM_PGOFF = 2;
/** The vma's length in pages (vm_area_alloc). */
export const VM_PAGES = 3;
/** Who last installed a PTE of the vma (actor + 1) and at which step (the fault handler's
 *  vmf_insert_pfn); a CPU access finding names them. */
export const VM_FAULT_BY = 4;
export const VM_FAULT_STEP = 5;
/** vma->vm_flags (cpu_mapping.ts VM_SHARED), written by vm_area_alloc. */
export const VM_FLAGS = 6;
/** Who made the exporter's revoke of the mapped dma-buf return (actor + 1; 0: not revoked, or
 *  un-revoked since) and at which step: the point after which a CPU access through the vma is a
 *  finding (revoke_return, kernel/revoke.ts). */
export const VM_REVOKED_BY = 7;
export const VM_REVOKE_STEP = 8;
/** First PTE: VMA_MAX_PTES entries of PTE_WORDS words. */
export const VM_PTES = 9;
/** A PTE: the page it maps + 1, 0 when not present (atomic: set by the fault handler, cleared by
 *  unmap_mapping_range, read by cpu_access without a lock — the MMU asks nobody)... */
export const PTE_PAGE = 0;
/** ... and the page's generation (pages.ts PG_GEN) when the PTE was installed. */
export const PTE_GEN = 1;
export const PTE_WORDS = 2;
export const VMA_WORDS = VM_PTES + VMA_MAX_PTES * PTE_WORDS;
