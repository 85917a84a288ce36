/**
 * DMA addresses: an IOMMU table translating each DMA address (one page) to a physical page, or to
 * the nirvana page, or to nothing (unmapped: a fault). dma_map_sg / dma_unmap_sg are the DMA-API
 * calls exporters make in map_dma_buf / unmap_dma_buf; calling them for a removed device is a
 * use-after-remove (the exporter's driver is unbound).
 *
 * A mapping handle is its first DMA address + 1 (> 0, so it can be returned from map_dma_buf);
 * the DMA address of its page i is handle − 1 + i. Unmapped ranges are reused (iova_alloc.ts), so
 * a DMA address carries the generation of its mapping (layout.ts HANDLE_BITS, IO_HGEN): an
 * address kept past its unmap still faults after the range was mapped again (dma_access.ts),
 * redirecting through it changes nothing, and unmapping through it is reported (below).
 */
import { ENOMEM } from '../errno/errno.js';
import type { Arena } from '../shm/arena.js';
import {
  AT_DMABUF, C_STEP, DV_REMOVED_BY, DV_REMOVED_STEP, IOS_FREE, IOS_NIRVANA, IOS_REDIRECTING,
  IOS_UNMAPPED, IOS_UNMAPPING, IOS_VALID, IO_ATTACH, IO_CHANGED_BY, IO_CHANGE_STEP, IO_DEV, IO_GEN,
  IO_HGEN, IO_MAPPED_BY, IO_MAP_STEP, IO_PAGE, IO_PREV_CHANGED_BY, IO_PREV_CHANGE_STEP,
  IO_PREV_MAPPED_BY, IO_PREV_MAP_STEP, IO_STATE, PG_GEN,
} from '../shm/layout.js';
import { iova_alloc, iova_free, iova_stale } from './iova_alloc.js';
import { iova_claim, iova_live, iova_publish, iova_settled } from './iova_entry.js';
import { device_removed, NIRVANA_PAGE } from './memory.js';
import type { Task } from './task.js';
import { siteId } from './warn.js';

/**
 * dma_map_sg: map `pages` for device `dev` on behalf of attachment `attach` (-1 none). Returns the
 * mapping handle, or -ENOMEM when the IOMMU table is full. Use-after-remove when `dev` is gone.
 */
export function dma_map_sg(t: Task, dev: number, attach: number, pages: readonly number[]): number {
  checkDevice(t, dev, 'dma_map_sg');
  const a = t.arena;
  const h = t.i32;
  const base = iova_alloc(t, pages.length);
  if (base < 0) return -ENOMEM;
  const gen = nextGen(a, base, pages.length);
  const step = h[t.ctl + C_STEP]!;
  pages.forEach((p, i) => {
    const b = a.iova(base + i);
    if (h[b + IO_STATE] !== IOS_FREE) rememberPrevious(h, b);
    h[b + IO_HGEN] = gen;
    h[b + IO_PAGE] = p;
    h[b + IO_GEN] = h[a.page(p) + PG_GEN]!;
    h[b + IO_ATTACH] = attach + 1;
    h[b + IO_DEV] = dev;
    h[b + IO_MAPPED_BY] = t.id + 1;
    h[b + IO_MAP_STEP] = step;
    Atomics.store(h, b + IO_STATE, IOS_VALID);
  });
  return (base | ((gen & a.iovaGenMask) << a.layout.iovaRowBits)) + 1;
}

/**
 * Generation for a mapping of rows base .. base + n − 1: 0 for never-used rows (a range from the
 * cursor is all never used, one from the free list all used before), else one more than any.
 */
function nextGen(a: Arena, base: number, n: number): number {
  const h = a.i32;
  if (h[a.iova(base) + IO_STATE] === IOS_FREE) return 0;
  let gen = 0;
  for (let i = 0; i < n; i++) gen = Math.max(gen, h[a.iova(base + i) + IO_HGEN]! + 1);
  return gen;
}

/** Keep who mapped and unmapped the entry at `b` before it is mapped again. */
function rememberPrevious(h: Int32Array, b: number): void {
  h[b + IO_PREV_MAPPED_BY] = h[b + IO_MAPPED_BY]!;
  h[b + IO_PREV_MAP_STEP] = h[b + IO_MAP_STEP]!;
  h[b + IO_PREV_CHANGED_BY] = h[b + IO_CHANGED_BY]!;
  h[b + IO_PREV_CHANGE_STEP] = h[b + IO_CHANGE_STEP]!;
}

/**
 * dma_unmap_sg: unmap `n` DMA addresses of mapping `handle` and give them back for reuse.
 * Use-after-remove when `dev` is gone. A handle already unmapped, of an older mapping of the range
 * or never mapped is reported (DMA_UNMAP_UNMAPPED, CONFIG_DMA_API_DEBUG's check_unmap) and
 * changes nothing: its addresses were given back once.
 */
export function dma_unmap_sg(t: Task, dev: number, handle: number, n: number): void {
  checkDevice(t, dev, 'dma_unmap_sg');
  if (n <= 0) return;
  if (handle <= 0 || !claimUnmap(t, handle - 1)) { reportUnmapped(t, handle - 1); return; }
  markUnmapped(t, handle - 1, n);
  iova_free(t, (handle - 1) & t.arena.iovaRowMask, n);
}

/**
 * check_unmap's "tries to free DMA memory it has not allocated", for DMA address `x`: who mapped
 * it and who unmapped it first, with steps (aux words as dma_access.ts reports them) — of the
 * older mapping when the range was mapped again since (its entry keeps one previous mapping);
 * nobody for an address never mapped. A racing unmap that won the entry has recorded itself:
 * claimUnmap waited its claim out.
 */
function reportUnmapped(t: Task, x: number): void {
  t.warn('DMA_UNMAP_UNMAPPED', x, 0, x < 0 ? [0, 0, 0, 0] : mappingAux(t.arena, x));
}

/**
 * Who made and who last changed (unmapped or redirected) the mapping DMA address `x` belongs to,
 * with steps: the aux words of DMA-address findings [mapper + 1, map step, changer + 1, change
 * step]. For an address of an older mapping of its range, the entry's previous mapping — the one
 * it keeps.
 */
export function mappingAux(a: Arena, x: number): number[] {
  const h = a.i32;
  const b = a.iova(x);
  return iova_stale(a, x)
    ? [h[b + IO_PREV_MAPPED_BY]!, h[b + IO_PREV_MAP_STEP]!, h[b + IO_PREV_CHANGED_BY]!, h[b + IO_PREV_CHANGE_STEP]!]
    : [h[b + IO_MAPPED_BY]!, h[b + IO_MAP_STEP]!, h[b + IO_CHANGED_BY]!, h[b + IO_CHANGE_STEP]!];
}

/**
 * Win the right to unmap the mapping whose first DMA address is `x`: claim its first entry (stress
 * unmaps race). False when `x` is of an older mapping or the entry is not mapped.
 */
function claimUnmap(t: Task, x: number): boolean {
  return !iova_stale(t.arena, x) && claimLive(t, t.arena.iova(x));
}

/**
 * Claim the entry at `b` for unmapping once any other claim on it is published. True when the
 * caller now owns it (iova_publish), false when it is not mapped (unmapped, or never).
 */
function claimLive(t: Task, b: number): boolean {
  for (;;) {
    const st = iova_settled(t, b);
    if (st !== IOS_VALID && st !== IOS_NIRVANA) return false;
    if (iova_claim(t, b, st, IOS_UNMAPPING)) return true;
  }
}

/**
 * Point `n` DMA addresses of mapping `handle` at the nirvana page (reads see garbage, writes
 * trap). Only entries still validly mapped change: an unmapped range stays unmapped (it is on
 * the free list), and a handle of an older mapping of the range changes nothing.
 */
export function iommu_redirect_nirvana(t: Task, handle: number, n: number): void {
  if (iova_stale(t.arena, handle - 1)) return;
  for (let i = 0; i < n; i++) redirectIfValid(t, handle - 1 + i);
}

/**
 * Switch the entry of DMA address `x` from VALID to NIRVANA (claimed first: it races with unmaps
 * under stress), recording who changed it when. True when it did.
 */
function redirectIfValid(t: Task, x: number): boolean {
  const b = t.arena.iova(x);
  if (!iova_claim(t, b, IOS_VALID, IOS_REDIRECTING)) return false;
  t.i32[b + IO_PAGE] = NIRVANA_PAGE;
  iova_publish(t, b, IOS_NIRVANA);
  return true;
}

/**
 * Mark the entries of DMA addresses x .. x + n − 1 unmapped, recording who did it when. The first
 * is claimed already (claimUnmap); the others are claimed here, and those not mapped are skipped.
 */
function markUnmapped(t: Task, x: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const b = t.arena.iova(x + i);
    if (i === 0 || claimLive(t, b)) iova_publish(t, b, IOS_UNMAPPED);
  }
}

/** Every live (valid or nirvana) mapping handle of attachment `attach`'s DMA addresses. */
export function attachment_live_iovas(t: Task, attach: number): number {
  const a = t.arena;
  let n = 0;
  for (let x = 0; x < a.geometry.iovas; x++) {
    const b = a.iova(x);
    if (t.i32[b + IO_ATTACH] === attach + 1 && iova_live(iova_settled(t, b))) n++;
  }
  return n;
}

function checkDevice(t: Task, dev: number, fn: string): void {
  if (!device_removed(t, dev)) return;
  const b = t.arena.device(dev);
  t.warn('DMA_USE_AFTER_REMOVE', dev, siteId(fn), [t.i32[b + DV_REMOVED_BY]!, t.i32[b + DV_REMOVED_STEP]!, 0, 0]);
}

/**
 * Redirect to nirvana every DMA address still validly mapped by an attachment of dma-buf `db`
 * (the exporter keeps importers' addresses harmless until they unmap). Returns how many.
 * Locking: `db`'s reservation held, so none of its mappings is made or unmapped meanwhile; other
 * buffers' entries may be. The state is read before the attachment: an entry read VALID and
 * then found to be `db`'s is `db`'s live mapping (an entry `db` unmapped earlier and another
 * buffer maps meanwhile is read with the other buffer's attachment, or not VALID).
 */
export function iommu_redirect_dmabuf(t: Task, db: number): number {
  const a = t.arena;
  const h = t.i32;
  let n = 0;
  for (let x = 0; x < a.geometry.iovas; x++) {
    const b = a.iova(x);
    if (Atomics.load(h, b + IO_STATE) !== IOS_VALID) continue;
    const at = h[b + IO_ATTACH]!;
    if (at === 0 || h[a.attachment(at - 1) + AT_DMABUF] !== db + 1) continue;
    if (redirectIfValid(t, x)) n++;
  }
  return n;
}
