/**
 * CPU mappings of dma-bufs: a user vma per mmap (shm/layout/vmas.ts) with a page table entry per
 * page, installed on demand by the exporter's fault handler and zapped by unmap_mapping_range, and
 * the CPU's access through it (cpu_access). The MMU asks nobody: an access through a present PTE
 * reaches the page whatever the exporter did since, so a revoke that leaves the PTE in place lets
 * the CPU keep touching a disabled or re-assigned BAR — the finding, judged against the same
 * shadow state the device-access check uses (the page's generation and state, memory.ts; the
 * dma-buf's revocation, revoke.ts).
 *
 * Locking: the exporter's fault handler and its zap serialize on the exporter's own lock (VFIO:
 * the fault handler takes memory_lock for read and checks revoked; the revoke zaps under
 * memory_lock for write). The model's PTE words are atomic; nothing here sleeps but cpu_access's
 * call of the fault handler.
 */
import { EFAULT, EINVAL, ENOMEM } from '../errno/errno.js';
import {
  C_STEP, DB_OPS, DB_REVOKED_BY, DB_REVOKE_STEP, PGS_OWNED, PG_FREED_BY, PG_FREED_STEP, PG_GEN, PG_STATE, PTE_GEN,
  PTE_PAGE, PTE_WORDS, VMA_MAX_PTES, VMA_ROWS, VM_DMABUF, VM_FAULT_BY, VM_FAULT_STEP, VM_OWNER, VM_PAGES, VM_PGOFF,
  VM_PTES, VM_ZAP_BY, VM_ZAP_STEP,
} from '../shm/layout.js';
import { exporterOps } from './dma_buf_ops.js';
import type { Task } from './task.js';
import type { KGen } from './types.js';
import type { WarnName } from './warn.js';

/** vm_fault_t: the fault handler installed the PTE itself. */
export const VM_FAULT_NOPAGE = 0x100;
/** vm_fault_t: the access gets SIGBUS (cpu_access returns -EFAULT). */
export const VM_FAULT_SIGBUS = 0x2;

/** A vma's handle: its row in the table. */
export type Vma = number & { readonly __vma: true };

/**
 * vm_area_alloc for an mmap of `pages` pages by the current task: the first free row, or -ENOMEM
 * when the trial took all VMA_ROWS. The vma maps nothing until dma_buf_mmap. Context: any task.
 */
export function vm_area_alloc(t: Task, pages: number): Vma | number {
  const h = t.i32;
  for (let v = 0; v < VMA_ROWS; v++) {
    const b = t.arena.vma(v);
    if (Atomics.compareExchange(h, b + VM_OWNER, 0, t.id + 1) !== 0) continue;
    h[b + VM_PAGES] = pages;
    return v as Vma;
  }
  return -ENOMEM;
}

/** vma->vm_file = the dma-buf's file, vma->vm_pgoff = `pgoff` (dma_buf_mmap, before the exporter's mmap). */
export function vma_set_dmabuf(t: Task, vma: Vma, db: number, pgoff: number): void {
  const b = t.arena.vma(vma);
  t.i32[b + VM_PGOFF] = pgoff;
  Atomics.store(t.i32, b + VM_DMABUF, db + 1);
}

/** The dma-buf vma maps, -1 when none. */
export function vma_dmabuf(t: Task, vma: Vma): number {
  return Atomics.load(t.i32, t.arena.vma(vma) + VM_DMABUF) - 1;
}

/** vma->vm_pgoff: the buffer's page that the vma's first page maps. */
export function vma_pgoff(t: Task, vma: Vma): number {
  return t.i32[t.arena.vma(vma) + VM_PGOFF]!;
}

/** The vma's length in pages (vm_area_alloc's). */
export function vma_pages(t: Task, vma: Vma): number {
  return t.i32[t.arena.vma(vma) + VM_PAGES]!;
}

/** Pages of the vma that have a PTE (a longer mapping has none past VMA_MAX_PTES). */
function ptes(t: Task, vma: Vma): number {
  return Math.min(vma_pages(t, vma), VMA_MAX_PTES);
}

/**
 * vmf_insert_pfn: make the PTE of the vma's page `idx` map device page `page` (its generation now
 * recorded with it). Called by an exporter's fault handler under the lock its zap takes; returns
 * VM_FAULT_NOPAGE.
 */
export function vmf_insert_pfn(t: Task, vma: Vma, idx: number, page: number): number {
  const b = t.arena.vma(vma);
  const h = t.i32;
  h[b + VM_PTES + idx * PTE_WORDS + PTE_GEN] = h[t.arena.page(page) + PG_GEN]!;
  h[b + VM_FAULT_BY] = t.id + 1;
  h[b + VM_FAULT_STEP] = h[t.ctl + C_STEP]!;
  Atomics.store(h, b + VM_PTES + idx * PTE_WORDS + PTE_PAGE, page + 1);
  return VM_FAULT_NOPAGE;
}

/**
 * unmap_mapping_range over the whole file of dma-buf `db`: every PTE of every vma that maps it is
 * cleared, so the next CPU access faults. Context: the exporter's zap lock held (the one its fault
 * handler takes); no sleeping. Returns the PTEs cleared.
 */
export function unmap_mapping_range(t: Task, db: number): number {
  const h = t.i32;
  let n = 0;
  for (let v = 0; v < VMA_ROWS; v++) {
    const b = t.arena.vma(v);
    if (h[b + VM_OWNER] === 0) break;
    if (Atomics.load(h, b + VM_DMABUF) !== db + 1) continue;
    for (let i = 0; i < ptes(t, v as Vma); i++) if (Atomics.exchange(h, b + VM_PTES + i * PTE_WORDS + PTE_PAGE, 0) !== 0) n++;
    h[b + VM_ZAP_BY] = t.id + 1;
    h[b + VM_ZAP_STEP] = h[t.ctl + C_STEP]!;
  }
  return n;
}

/**
 * The current task's CPU load or store (`_write`: both are judged alike, a BAR access either way)
 * of page `idx` of `vma`: through a present PTE it
 * happens unchecked (judged by judgeAccess); without one the exporter's fault handler runs
 * (vm_ops->fault; it may sleep) and the access is retried once it installed the PTE. Returns 0, or
 * -EFAULT when the access gets SIGBUS (the handler refused: VM_FAULT_SIGBUS) or the page is
 * outside the vma or its PTEs, or the vma maps no dma-buf.
 */
export function* cpu_access(t: Task, vma: Vma, idx: number, _write: boolean): KGen<number> {
  const db = vma_dmabuf(t, vma);
  if (db < 0 || idx < 0 || idx >= ptes(t, vma)) return -EFAULT;
  const pte = t.arena.vma(vma) + VM_PTES + idx * PTE_WORDS;
  for (;;) {
    const page = Atomics.load(t.i32, pte + PTE_PAGE) - 1;
    if (page >= 0) { judgeAccess(t, vma, db, pte, page); return 0; }
    const fault = exporterOps(t.i32[t.arena.dmabuf(db) + DB_OPS]!).fault;
    if (fault === undefined) return -EFAULT;
    const ret = yield* fault(t, db, vma, idx);
    if ((ret & VM_FAULT_SIGBUS) !== 0) return -EFAULT;
    if ((ret & VM_FAULT_NOPAGE) === 0) return -EINVAL;
  }
}

/**
 * The access through the PTE at `pte` to `page`: a page freed or reused since the PTE was
 * installed (generation changed, or not owned) is CPU_USE_AFTER_FREE, naming who freed it; a
 * dma-buf whose exporter completed revoke is CPU_USE_AFTER_REVOKE, naming the revoker. A finding
 * stands only when the PTE is still present after the judgement: an access that a concurrent zap
 * overtook (stress) happened before the zap returned, as a TLB shootdown waits for it.
 */
function judgeAccess(t: Task, vma: Vma, db: number, pte: number, page: number): void {
  const h = t.i32;
  const pg = t.arena.page(page);
  const d = t.arena.dmabuf(db);
  let name: WarnName | undefined;
  let other = [0, 0];
  if (Atomics.load(h, pg + PG_STATE) !== PGS_OWNED || h[pg + PG_GEN] !== h[pte + PTE_GEN]) {
    name = 'CPU_USE_AFTER_FREE'; other = [h[pg + PG_FREED_BY]!, h[pg + PG_FREED_STEP]!];
  } else if (Atomics.load(h, d + DB_REVOKED_BY) !== 0) {
    name = 'CPU_USE_AFTER_REVOKE'; other = [h[d + DB_REVOKED_BY]!, h[d + DB_REVOKE_STEP]!];
  }
  if (name === undefined || Atomics.load(h, pte + PTE_PAGE) !== page + 1) return;
  const b = t.arena.vma(vma);
  t.warn(name, page, 0, [h[b + VM_FAULT_BY]!, h[b + VM_FAULT_STEP]!, other[0]!, other[1]!]);
}

/** Who last zapped the vma (actor + 1, 0 for nobody) — for tests and reports. */
export function vma_zapped_by(t: Task, vma: Vma): number {
  return t.i32[t.arena.vma(vma) + VM_ZAP_BY]!;
}
