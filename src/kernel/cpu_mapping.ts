/**
 * CPU mappings of dma-bufs: a user vma per mmap (shm/layout/vmas.ts; holding a file reference on
 * its buffer from dma_buf_mmap until vm_munmap, vm_munmap.ts) with a page table entry per
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
import { HarnessError } from '../errno/errors.js';
import {
  C_STEP, DB_OPS, PGS_OWNED, PG_FREED_BY, PG_FREED_STEP, PG_GEN, PG_STATE, PTE_GEN,
  PTE_PAGE, PTE_WORDS, VMA_MAX_PTES, VMA_ROWS, VM_DMABUF, VM_FAULT_BY, VM_FAULT_STEP, VM_FLAGS, VM_OWNER, VM_PAGES,
  VM_MMAP_FAILED, VM_PGOFF, VM_PTES, VM_REVOKED_BY, VM_REVOKE_STEP, VM_UNMAPPED,
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

/** vm_flags: a MAP_SHARED mapping (the only kind an exporter of device memory accepts). */
export const VM_SHARED = 0x8;

/**
 * vm_area_alloc for an mmap of `pages` pages with vm_flags `flags` (default VM_SHARED: mmap with
 * MAP_SHARED) by the current task: the first free row, or -ENOMEM when the trial took all
 * VMA_ROWS — which callers must check before using the result as a Vma. A row vm_munmap removed
 * is not free again within the trial. The vma maps nothing until dma_buf_mmap. Context: any task.
 */
export function vm_area_alloc(t: Task, pages: number, flags = VM_SHARED): Vma | number {
  const h = t.i32;
  for (let v = 0; v < VMA_ROWS; v++) {
    const b = t.arena.vma(v);
    if (Atomics.compareExchange(h, b + VM_OWNER, 0, t.id + 1) !== 0) continue;
    h[b + VM_PAGES] = pages;
    h[b + VM_FLAGS] = flags;
    return v as Vma;
  }
  return -ENOMEM;
}

/** vma->vm_flags. */
export function vma_flags(t: Task, vma: Vma): number {
  return t.i32[t.arena.vma(vma) + VM_FLAGS]!;
}

/**
 * vma->vm_file = the dma-buf's file (`db`), vma->vm_pgoff = `pgoff`: the row's words only — the
 * file reference the vma holds is the caller's to take and drop (dma_buf_mmap's vma_set_file
 * takes it, its failure path and vm_munmap drop it). From here the buffer's walks (zap, revoke
 * stamps) see the vma. Context: the vma's owner.
 */
export function vma_set_dmabuf(t: Task, vma: Vma, db: number, pgoff: number): void {
  const b = t.arena.vma(vma);
  t.i32[b + VM_PGOFF] = pgoff;
  Atomics.store(t.i32, b + VM_DMABUF, db + 1);
}

/** The dma-buf vma maps, -1 when none (not mapped yet, its mmap failed, or unmapped). */
export function vma_dmabuf(t: Task, vma: Vma): number {
  const v = Atomics.load(t.i32, t.arena.vma(vma) + VM_DMABUF);
  return v > 0 ? v - 1 : -1;
}

/** The actor that created the vma (vm_area_alloc), or -1 for a row never taken. */
export function vma_owner(t: Task, vma: Vma): number {
  return Atomics.load(t.i32, t.arena.vma(vma) + VM_OWNER) - 1;
}

/** Whether vm_munmap removed the vma (its row the VM_UNMAPPED tombstone). */
export function vma_unmapped(t: Task, vma: Vma): boolean {
  return Atomics.load(t.i32, t.arena.vma(vma) + VM_DMABUF) === VM_UNMAPPED;
}

/** Whether the vma's mmap failed, so that the kernel freed it (the VM_MMAP_FAILED tombstone). */
export function vma_mmap_failed(t: Task, vma: Vma): boolean {
  return Atomics.load(t.i32, t.arena.vma(vma) + VM_DMABUF) === VM_MMAP_FAILED;
}

/**
 * The mmap of `vma` failed: mmap_region's unwind (unmap_and_free_vma), after its fput of the
 * vma's file reference (dma_buf_mmap drops it first, as that fput comes first), undoes any
 * partial mapping the driver made (unmap_region) and frees the vma, calling no vm_ops->close.
 * The model clears every PTE the exporter installed and makes the row the VM_MMAP_FAILED
 * tombstone: no buffer's walk (zap, revoke stamps) finds it again, the leak check does not count
 * it (check/leaks.ts LEAK_VMA), a CPU access through it is -EFAULT as through an address no vma
 * covers, and vm_munmap or another mmap through it is the scenario's mistake. The row is not
 * reused within the trial (the walks stop at the first free row). Context: the vma's owner, in
 * dma_buf_mmap; atomic, no sleeping.
 */
export function vma_mmap_unwind(t: Task, vma: Vma): void {
  const b = t.arena.vma(vma);
  Atomics.store(t.i32, b + VM_DMABUF, VM_MMAP_FAILED);
  zapPtes(t.i32, b);
}

/**
 * The model's actors are processes, each with its own mm: a vma is its creator's alone, so a
 * task using another actor's handle (the kernel has no way to name another process's vma) is
 * the scenario's mistake — ERR_SCENARIO naming `what` it tried. This also keeps the kernel's
 * mmap_lock exclusion without modelling it: only the owner mmaps, faults, touches or unmaps its
 * vma, so a fault can never install a PTE into a vma munmap removed meanwhile, and no two mmaps
 * of one vma race (dma_buf_mmap, vma_check_fresh).
 */
export function vma_check_owner(t: Task, vma: Vma, what: string): void {
  const owner = vma_owner(t, vma);
  if (owner !== t.id) throw new HarnessError('ERR_SCENARIO', `${t.name}: ${what} of vma ${vma}, ${owner < 0 ? 'never created' : `created by actor ${owner}`}`);
}

/**
 * Remove the vma from its buffer (vm_munmap's unmap_region and unlink_file_vma): every PTE of it
 * cleared, then the row made the tombstone VM_UNMAPPED — no buffer's walk (unmap_mapping_range,
 * the revoke stamps) finds it again and a CPU access through it is -EFAULT (cpu_access). The row
 * keeps its owner: it is never reused within the trial. Returns the PTEs cleared. Context: the
 * vma's owner, the vma mapping a buffer (vm_munmap checks); atomic, no sleeping.
 */
export function vma_unmap(t: Task, vma: Vma): number {
  const b = t.arena.vma(vma);
  const n = zapPtes(t.i32, b);
  Atomics.store(t.i32, b + VM_DMABUF, VM_UNMAPPED);
  return n;
}

/** vma->vm_pgoff: the buffer's page that the vma's first page maps. */
export function vma_pgoff(t: Task, vma: Vma): number {
  return t.i32[t.arena.vma(vma) + VM_PGOFF]!;
}

/** The vma's length in pages (vm_area_alloc's); every one has a PTE (vma_check_model_length). */
export function vma_pages(t: Task, vma: Vma): number {
  return t.i32[t.arena.vma(vma) + VM_PAGES]!;
}

/**
 * The model's limit on a mapping's length: a vma of more than VMA_MAX_PTES pages has no room for
 * its PTEs. Called by dma_buf_mmap once the core accepted the range; the kernel has no such
 * limit, so a longer mapping is the scenario's mistake (ERR_SCENARIO), never an -errno or SIGBUS.
 */
export function vma_check_model_length(t: Task, vma: Vma): void {
  const pages = vma_pages(t, vma);
  if (pages > VMA_MAX_PTES) throw new HarnessError('ERR_SCENARIO', `mmap of ${pages} pages: the model keeps at most ${VMA_MAX_PTES} PTEs per vma`);
}

/**
 * The model's vm_area_alloc and dma_buf_mmap are one mmap(2): a vma is mapped once. An mmap
 * through a handle that mapped before (mapped, unmapped, or whose mmap failed: a vma the kernel
 * freed) names no new vma — the scenario's mistake (ERR_SCENARIO). Called by dma_buf_mmap after
 * vma_check_owner: only the owner writes the row, so this plain check is not raced.
 */
export function vma_check_fresh(t: Task, vma: Vma): void {
  if (Atomics.load(t.i32, t.arena.vma(vma) + VM_DMABUF) !== 0) throw new HarnessError('ERR_SCENARIO', `${t.name}: mmap through vma ${vma}, which was mmapped before`);
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
  let n = 0;
  eachVmaOf(t, db, (b) => { n += zapPtes(t.i32, b); });
  return n;
}

/** Clear every PTE of the vma at arena row `b` (atomic per PTE); the number that were present. */
function zapPtes(h: Int32Array, b: number): number {
  const pages = h[b + VM_PAGES]!;
  let n = 0;
  for (let i = 0; i < pages; i++) if (Atomics.exchange(h, b + VM_PTES + i * PTE_WORDS + PTE_PAGE, 0) !== 0) n++;
  return n;
}

/**
 * The current task's CPU load or store (`_write`: both are judged alike, a BAR access either way)
 * of page `idx` of `vma`: through a present PTE it
 * happens unchecked (judged by judgeAccess); without one the exporter's fault handler runs
 * (vm_ops->fault; it may sleep) and the access is retried once it installed the PTE. Returns 0, or
 * -EFAULT when the access gets SIGBUS (the handler refused: VM_FAULT_SIGBUS) or the page is
 * outside the vma, or the vma maps no dma-buf — also once vm_munmap removed it: the kernel's
 * SIGSEGV on an address no vma covers, which is the user's own mistake, not the kernel's, so
 * there is no finding (the buffer's memory is not reached). A vma another actor created throws
 * ERR_SCENARIO (vma_check_owner).
 */
export function* cpu_access(t: Task, vma: Vma, idx: number, _write: boolean): KGen<number> {
  vma_check_owner(t, vma, 'cpu_access');
  const db = vma_dmabuf(t, vma);
  if (db < 0 || idx < 0 || idx >= vma_pages(t, vma)) return -EFAULT;
  const pte = t.arena.vma(vma) + VM_PTES + idx * PTE_WORDS;
  for (;;) {
    const page = Atomics.load(t.i32, pte + PTE_PAGE) - 1;
    if (page >= 0) { judgeAccess(t, vma, pte, page); return 0; }
    const fault = exporterOps(t.i32[t.arena.dmabuf(db) + DB_OPS]!).fault;
    if (fault === undefined) return -EFAULT;
    const ret = yield* fault(t, db, vma, idx);
    if ((ret & VM_FAULT_SIGBUS) !== 0) return -EFAULT;
    if ((ret & VM_FAULT_NOPAGE) === 0) return -EINVAL;
  }
}

/**
 * The access through the PTE at `pte` to `page`: a page freed or reused since the PTE was installed
 * (generation changed, or not owned) is CPU_USE_AFTER_FREE, naming who freed it; a vma whose
 * dma-buf's revoke has returned (revoke_return: vma_revoke_returned) is CPU_USE_AFTER_REVOKE,
 * naming the revoker. Not before: until the exporter's revoke returns the BAR is still enabled
 * (VFIO clears PCI_COMMAND_MEMORY after the move), and the exporter zaps last, so a touch in
 * between is legitimate. A finding stands only when the PTE is still present after the judgement:
 * an access that a concurrent zap overtook (stress) happened before the zap returned, as a TLB
 * shootdown waits for it.
 */
function judgeAccess(t: Task, vma: Vma, pte: number, page: number): void {
  const h = t.i32;
  const pg = t.arena.page(page);
  const b = t.arena.vma(vma);
  let name: WarnName, by: number, step: number;
  const revokedBy = Atomics.load(h, b + VM_REVOKED_BY);
  if (Atomics.load(h, pg + PG_STATE) !== PGS_OWNED || h[pg + PG_GEN] !== h[pte + PTE_GEN]) {
    name = 'CPU_USE_AFTER_FREE'; by = h[pg + PG_FREED_BY]!; step = h[pg + PG_FREED_STEP]!;
  } else if (revokedBy !== 0) {
    name = 'CPU_USE_AFTER_REVOKE'; by = revokedBy; step = h[b + VM_REVOKE_STEP]!;
  } else return;
  if (Atomics.load(h, pte + PTE_PAGE) !== page + 1) return;
  t.warn(name, page, 0, [h[b + VM_FAULT_BY]!, h[b + VM_FAULT_STEP]!, by, step]);
}

/**
 * The exporter's revoke of dma-buf `db` returned (called by revoke_return, after the exporter's
 * zap — VFIO: the end of the buffer's move): from here the device memory behind every vma mapping
 * `db` is off limits to the CPU (judgeAccess), until vma_revoke_cleared. Stamps each such vma with
 * the caller and the step. Context: the exporter's task, under the lock its zap takes when it has
 * one; no sleeping; changes no kernel state.
 */
export function vma_revoke_returned(t: Task, db: number): void {
  eachVmaOf(t, db, (b) => {
    t.i32[b + VM_REVOKE_STEP] = t.i32[t.ctl + C_STEP]!;
    Atomics.store(t.i32, b + VM_REVOKED_BY, t.id + 1);
  });
}

/** The buffer is usable again (un-revoke; called by revoke_cleared): the CPU may reach it through
 *  its vmas. */
export function vma_revoke_cleared(t: Task, db: number): void {
  eachVmaOf(t, db, (b) => { Atomics.store(t.i32, b + VM_REVOKED_BY, 0); });
}

/** `f(row)` for the arena row of every vma of the trial that maps dma-buf `db` (rows are taken in
 *  order and never freed within a trial, so the first free row ends the walk). */
function eachVmaOf(t: Task, db: number, f: (row: number) => void): void {
  for (let v = 0; v < VMA_ROWS; v++) {
    const b = t.arena.vma(v);
    if (Atomics.load(t.i32, b + VM_OWNER) === 0) return;
    if (Atomics.load(t.i32, b + VM_DMABUF) === db + 1) f(b);
  }
}
