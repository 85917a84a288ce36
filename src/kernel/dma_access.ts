/**
 * The KASAN-like check of every device access: a DMA engine reading or writing one page through a
 * DMA address. The access is judged against the IOMMU entry, the page's shadow state and the
 * dma-buf's revocation, and a finding names who mapped, who revoked / freed / unmapped, and when
 * (aux words: [mapper + 1, map step, other actor + 1, other step]).
 *
 * - unmapped (or never mapped) address: dma-after-unmap (an IOMMU fault) — also when the range
 *   was mapped again since (the address is of an older generation than its entry), reported with
 *   who made and who unmapped that older mapping;
 * - redirected to nirvana (state, or a target page already switched to the nirvana page by a
 *   concurrent redirect): reads are harmless, a write is a use-after-revoke;
 * - page freed or reused since the mapping was made (generation changed): use-after-free;
 * - page a pipelined move is still copying into (the importer did not honour the exporter's
 *   KERNEL move fence): use-after-free, as the memory is not yet the buffer's; speculative
 *   read-ahead of it is tolerated;
 * - the exporter completed revoke and the access is not speculative read-ahead: use-after-revoke.
 *
 * The engine's hot path is dma_engine_access_pages: it judges consecutive IOMMU entries in
 * batches of CHECK_AHEAD exactly as dma_engine_access would, then copies the batch; it allocates
 * nothing unless it reports, and looks an attachment's dma-buf up once per run of entries of the
 * same attachment within a batch (its revocation word is still read for every page).
 */
import { EFAULT } from '../errno/errno.js';
import {
  AT_DMABUF, DB_REVOKED_BY, DB_REVOKE_STEP, IOS_VALID, IO_ATTACH, IO_CHANGED_BY,
  IO_CHANGE_STEP, IO_GEN, IO_HGEN, IO_MAPPED_BY, IO_MAP_STEP, IO_PAGE, IO_STATE, PGS_MOVING, PGS_OWNED, PG_ALLOC_BY, PG_FREED_BY,
  PG_FREED_STEP, PG_GEN, PG_STATE,
} from '../shm/layout.js';
import type { Arena } from '../shm/arena.js';
import { dmaBuffer, pageOffset, type DeviceMemory } from '../shm/devmem.js';
import { iova_stale } from './iova_alloc.js';
import { iova_live, iova_nirvana, iova_settled } from './iova_entry.js';
import { mappingAux } from './iommu.js';
import { NIRVANA_PAGE } from './memory.js';
import type { Task } from './task.js';
import type { WarnName } from './warn.js';

/** translate(): the access faulted (dma-after-unmap reported). */
const FAULT = -2;
/** translate(): nothing to copy (a nirvana access, or a use-after-free already reported). */
const NO_COPY = -1;

/** Access the page behind DMA address `iova`. 0, or -EFAULT on an IOMMU fault. */
export function dma_engine_access(t: Task, iova: number, write: boolean, speculative: boolean): number {
  return dma_engine_access_pages(t, iova, 1, write, speculative);
}

/**
 * Access the pages behind DMA addresses iova .. iova + n − 1 in order: the same checks, findings
 * and copies as n calls of dma_engine_access. 0, or -EFAULT when at least one access faulted
 * (the others still happened). Pages are judged CHECK_AHEAD at a time before they are copied, as
 * an engine translates a burst ahead of its transfer: between copies the IOMMU entries and page
 * records have left the CPU's near caches, and loads for several pages at once overlap.
 * In stress another thread's free, revoke or unmap that lands between a page's check and its copy
 * (at most CHECK_AHEAD − 1 copies) goes unreported for that access; the next batch sees it.
 * Inline and controlled are unaffected: nothing else runs during the call.
 */
export function dma_engine_access_pages(t: Task, iova: number, n: number, write: boolean, speculative: boolean): number {
  const m = t.devmem;
  const buffer = m === undefined ? 0 : dmaBuffer(m, t.id);
  let ret = 0;
  for (let i = 0; i < n; i += CHECK_AHEAD) {
    const k = Math.min(CHECK_AHEAD, n - i);
    if (judgePages(t, iova + i, k, write, speculative) < 0) ret = -EFAULT;
    if (m === undefined) continue;
    for (let j = 0; j < k; j++) if (ahead[j]! >= 0) copyPage(m, ahead[j]!, buffer, write);
  }
  return ret;
}

/** Pages judged per batch (dma_engine_access_pages), and where the batch's verdicts go. */
const CHECK_AHEAD = 8;
const ahead = new Int32Array(CHECK_AHEAD);

/**
 * Judge the k ≤ CHECK_AHEAD accesses at iova .. iova + k − 1, reporting what is wrong; ahead[j]
 * becomes the page to copy for the j-th, or < 0. Returns -EFAULT when one faulted, else 0.
 */
function judgePages(t: Task, iova: number, k: number, write: boolean, speculative: boolean): number {
  const a = t.arena;
  const h = t.i32;
  let ret = 0;
  let at = 0;
  let db = -1;
  for (let j = 0; j < k; j++) {
    const b = a.iova(iova + j);
    let page = mappedPage(a, h, iova + j, b);
    if (page < 0) page = translate(t, iova + j, b, write, speculative);
    ahead[j] = page;
    if (page === FAULT) ret = -EFAULT;
    if (page < 0 || speculative) continue;
    const x = h[b + IO_ATTACH]!;
    if (x !== at) { at = x; db = x === 0 ? -1 : a.dmabuf(h[a.attachment(x - 1) + AT_DMABUF]! - 1); }
    if (db >= 0 && h[db + DB_REVOKED_BY] !== 0) report(t, 'DMA_USE_AFTER_REVOKE', iova + j, b, h[db + DB_REVOKED_BY]!, h[db + DB_REVOKE_STEP]!);
  }
  return ret;
}

/**
 * The engine's common case, judged with the fewest loads: DMA address `iova` (IOMMU entry at `b`)
 * is current and valid, and targets a page the buffer owns at the generation it was mapped with.
 * Returns that page, or -1 when anything else holds — then translate() judges and reports.
 * The state words are read plainly, not with Atomics.load (~3 ns each, not inlined by V8): on x86
 * both are the same load, and this path only accepts — the entry's fields were published before
 * the handle that reaches them, and a change it might miss is a race stress hunts anyway.
 */
function mappedPage(a: Arena, h: Int32Array, iova: number, b: number): number {
  if (h[b + IO_STATE] !== IOS_VALID) return -1;
  const mask = a.iovaGenMask;
  if (((iova >>> a.layout.iovaRowBits) & mask) !== (h[b + IO_HGEN]! & mask)) return -1;
  const page = h[b + IO_PAGE]!;
  const pg = a.page(page);
  if (page === NIRVANA_PAGE || h[pg + PG_STATE] !== PGS_OWNED || h[pg + PG_GEN] !== h[b + IO_GEN]) return -1;
  return page;
}

/**
 * Judge the IOMMU entry at `b` (DMA address `iova`) and the page it targets: the page to copy, or
 * NO_COPY / FAULT after reporting what was wrong. The revocation check is the caller's.
 */
function translate(t: Task, iova: number, b: number, write: boolean, speculative: boolean): number {
  const h = t.i32;
  const st = iova_settled(t, b);
  if (iova_stale(t.arena, iova) || !iova_live(st)) {
    t.warn('DMA_AFTER_UNMAP', iova, 0, mappingAux(t.arena, iova));
    return FAULT;
  }
  const page = h[b + IO_PAGE]!;
  if (iova_nirvana(st) || page === NIRVANA_PAGE) {
    if (write) report(t, 'DMA_WRITE_NIRVANA', iova, b, h[b + IO_CHANGED_BY]!, h[b + IO_CHANGE_STEP]!);
    return NO_COPY;
  }
  const pg = t.arena.page(page);
  const ps = Atomics.load(h, pg + PG_STATE);
  if (ps === PGS_MOVING && h[pg + PG_GEN] === h[b + IO_GEN]) {
    if (!speculative) report(t, 'DMA_BEFORE_MOVE_DONE', iova, b, h[pg + PG_ALLOC_BY]!, 0);
    return NO_COPY;
  }
  if (ps !== PGS_OWNED || h[pg + PG_GEN] !== h[b + IO_GEN]) {
    report(t, 'DMA_USE_AFTER_FREE', iova, b, h[pg + PG_FREED_BY]!, h[pg + PG_FREED_STEP]!);
    return NO_COPY;
  }
  return page;
}

/** Record a finding for DMA address `iova` (IOMMU entry at `b`) with who mapped it and the other
 *  party. */
function report(t: Task, name: WarnName, iova: number, b: number, otherBy: number, otherStep: number): void {
  const h = t.i32;
  t.warn(name, iova, 0, [h[b + IO_MAPPED_BY]!, h[b + IO_MAP_STEP]!, otherBy, otherStep]);
}

/**
 * Move the page's bytes (device memory contents are modelled): a write copies the accessing
 * actor's DMA buffer (at byte offset `buffer`) into the page, a read copies the page into it.
 */
function copyPage(m: DeviceMemory, page: number, buffer: number, write: boolean): void {
  if (write) m.copy(pageOffset(m, page), buffer, m.pageBytes);
  else m.copy(buffer, pageOffset(m, page), m.pageBytes);
}
