/**
 * Physical memory and devices, with KASAN-like shadow state. Page 0 is the nirvana (dummy) page.
 * A freed page is quarantined (generation bumped, who freed it remembered) and reused only when no
 * never-used page is left, so late accesses still trap.
 *
 * Context: any task; no sleeping.
 */
import { ENOMEM } from '../errno/errno.js';
import {
  AT_DMABUF, C_NEXT_DEVICE, C_STEP, DV_REMOVED_BY, DV_REMOVED_STEP, DV_STATE, DVS_BOUND, DVS_REMOVED, IO_DEV, IO_PAGE,
  PGS_FREE, PGS_FREEING, PGS_MOVING, PGS_NIRVANA, PGS_OWNED, PGS_QUARANTINED,
  PG_ALLOC_BY, PG_FREED_BY, PG_FREED_STEP, PG_GEN, PG_OWNER, PG_STATE, packOp,
} from '../shm/layout.js';
import { EV_DEVICE_REMOVE, EV_PAGE_REUSE } from '../trace/ops.js';
import { allocRow } from './alloc.js';
import { live_mappings_where, page_live_mappings, type LiveMapping } from './live_mappings.js';
import type { Task } from './task.js';
import { siteId } from './warn.js';

export const NIRVANA_PAGE = 0;

/** Boot: page 0 becomes the nirvana page. */
export function memoryBoot(t: Task): void {
  t.i32[t.arena.page(NIRVANA_PAGE) + PG_STATE] = PGS_NIRVANA;
}

/** alloc_pages: a page owned by dma-buf `owner` (id; -1 for none); its index, or -ENOMEM. */
export function phys_alloc(t: Task, owner: number): number {
  for (const wanted of [PGS_FREE, PGS_QUARANTINED]) {
    const p = claimPage(t, wanted);
    if (p < 0) continue;
    const b = t.arena.page(p);
    t.i32[b + PG_OWNER] = owner + 1;
    t.i32[b + PG_ALLOC_BY] = t.id + 1;
    return p;
  }
  return -ENOMEM;
}

/** `n` pages owned by dma-buf `owner` (phys_alloc each); -ENOMEM, with none kept, when memory runs
 *  out. */
export function phys_alloc_pages(t: Task, owner: number, n: number): number[] | number {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = phys_alloc(t, owner);
    if (p < 0) { for (const q of out) phys_free(t, q); return p; }
    out.push(p);
  }
  return out;
}

/** The dma-buf that owns page `p` (phys_alloc's, phys_replace's `owner`); -1 for none. */
function page_owner(t: Task, p: number): number {
  return t.i32[t.arena.page(p) + PG_OWNER]! - 1;
}

/** The first page in state `wanted`, claimed as owned with a CAS (stress exporters race here); -1
 *  if none. Pages are taken lowest first and none returns to PGS_FREE within a trial: the pages a
 *  trial took are a prefix of the table, which is all a trial reset zeroes
 *  (shm/layout/cursor_tables.ts). */
function claimPage(t: Task, wanted: number): number {
  const a = t.arena;
  for (let p = 1; p < a.geometry.pages; p++) {
    if (Atomics.compareExchange(t.i32, a.page(p) + PG_STATE, wanted, PGS_OWNED) === wanted) return p;
  }
  return -1;
}

/**
 * free_pages: quarantine page `p`. Freeing a page that a live IOMMU entry still translates to is
 * not reported here: a moving exporter (TTM, gpu_exporter.ts) frees a move's old pages once its
 * fence signaled while dynamic importers still map them until they re-map, which their contract
 * allows (kernel-semantics §4.8 item 1); the access that follows, if any, is the finding. Only an
 * allocated page (owned, or the destination of a move) can be freed: a page already free or
 * quarantined (double free), the nirvana page or a number outside the page table WARNs
 * PAGE_BAD_FREE, with who allocated and who first freed it, and changes nothing (KASAN's
 * double-free or invalid-free). The page is claimed with a CAS (claimAllocated), so of two racing
 * frees exactly one frees it and the other WARNs.
 */
export function phys_free(t: Task, p: number): void {
  if (claimAllocated(t, p) < 0) { badPage(t, 'PAGE_BAD_FREE', p); return; }
  quarantineClaimed(t, p);
}

/**
 * The contents of page `p`, which the caller claimed to renew, are reused by exporter function
 * `fn` ('' for the check's own, phys_replace) while importers may still map them (kernel-semantics
 * §4.8: the addresses must stay valid until unmap; S3): REUSE_BEFORE_UNMAP for each live mapping
 * of it, naming the mapping (aux [mapper + 1, map step, attachment + 1, 0]; the check is per
 * page, so a mapping's other pages are repeats of one finding).
 */
function mappedLive(t: Task, p: number, fn: string): void {
  const site = fn === '' ? 0 : siteId(fn);
  for (const m of page_live_mappings(t, p)) t.warn('REUSE_BEFORE_UNMAP', p, site, [m.by, m.step, m.attach, 0]);
}

/** Quarantine page `p`, which the caller claimed (claimAllocated): phys_free's effect. */
function quarantineClaimed(t: Task, p: number): void {
  const b = t.arena.page(p);
  const h = t.i32;
  h[b + PG_GEN]!++;
  h[b + PG_OWNER] = 0;
  h[b + PG_FREED_BY] = t.id + 1;
  h[b + PG_FREED_STEP] = h[t.ctl + C_STEP]!;
  Atomics.store(h, b + PG_STATE, PGS_QUARANTINED);
}

/**
 * Claim page `p` for freeing or renewing: when it is a page of the table that phys_alloc handed
 * out and nobody freed since, it becomes PGS_FREEING — the caller writes its words and stores its
 * next state — and the state it had (PGS_OWNED or PGS_MOVING) is returned; -1, changing nothing,
 * for any other `p` or state.
 */
function claimAllocated(t: Task, p: number): number {
  return inTable(t, p) ? casSettled(t, p, PGS_OWNED, PGS_MOVING, PGS_FREEING) : -1;
}

/**
 * Page `p`'s state goes from `from` or `alt` to `to` with a CAS; the state it had, or -1 (nothing
 * changed) when it is in neither. A page another task has claimed (PGS_FREEING) is waited out —
 * its claimer makes a few stores and never yields — then judged in the state that task left.
 */
function casSettled(t: Task, p: number, from: number, alt: number, to: number): number {
  const at = t.arena.page(p) + PG_STATE;
  for (;;) {
    const s = Atomics.load(t.i32, at);
    if (s === PGS_FREEING) continue;
    if (s !== from && s !== alt) return -1;
    if (Atomics.compareExchange(t.i32, at, s, to) === s) return s;
  }
}

/** Whether `p` names a page of the table other than the nirvana page. */
function inTable(t: Task, p: number): boolean {
  return Number.isInteger(p) && p > NIRVANA_PAGE && p < t.arena.geometry.pages;
}

/** WARN `code` (PAGE_BAD_FREE or PAGE_BAD_MOVE) for `p`; when `p` is a freed page of the table
 *  (free or quarantined), naming who allocated it and who freed it first, as KASAN prints a freed
 *  object's allocation and free stacks (aux [freer + 1, free step, allocator + 1, 0]). A page
 *  still allocated (moving) or the nirvana page has no free to name: its words are a former
 *  life's. */
function badPage(t: Task, code: 'PAGE_BAD_FREE' | 'PAGE_BAD_MOVE', p: number): void {
  const b = inTable(t, p) ? t.arena.page(p) : -1;
  const h = t.i32;
  const st = b < 0 ? -1 : Atomics.load(h, b + PG_STATE);
  if (st !== PGS_FREE && st !== PGS_QUARANTINED) { t.warn(code, p); return; }
  t.warn(code, p, 0, [h[b + PG_FREED_BY]!, h[b + PG_FREED_STEP]!, h[b + PG_ALLOC_BY]!, 0]);
}

/**
 * Owned page `p` gets new contents for dma-buf `owner` (a device reset reusing its memory): `p` is
 * freed and a fresh page allocated, or — when no other page is left — `p` itself is taken back
 * under a new generation without ever being free, so no other task can claim it in between.
 * Either way mappings of the old contents trap, and each live one is REUSE_BEFORE_UNMAP titled
 * after `fn`, as phys_free. Returns the page now holding the contents; `p` not allocated WARNs
 * PAGE_BAD_FREE (nothing is changed, `p` is returned). Traced as EV_PAGE_REUSE on `p` (aux: the
 * page returned) once the contents moved.
 */
export function phys_replace(t: Task, p: number, owner: number, fn = ''): number {
  const state = claimAllocated(t, p);
  if (state < 0) { badPage(t, 'PAGE_BAD_FREE', p); return p; }
  mappedLive(t, p, fn);
  const q = phys_alloc(t, owner);
  if (q >= 0) {
    quarantineClaimed(t, p);
    t.trace(packOp(EV_PAGE_REUSE, p), q);
    return q;
  }
  const b = t.arena.page(p);
  const h = t.i32;
  h[b + PG_GEN]!++;
  h[b + PG_OWNER] = owner + 1;
  h[b + PG_FREED_BY] = t.id + 1;
  h[b + PG_FREED_STEP] = h[t.ctl + C_STEP]!;
  h[b + PG_ALLOC_BY] = t.id + 1;
  Atomics.store(h, b + PG_STATE, state);
  t.trace(packOp(EV_PAGE_REUSE, p), p);
  return p;
}

/**
 * Owned page `p` (from phys_alloc) becomes the destination of a pipelined move: until
 * phys_move_done its contents belong to the exporter's copy, which the move's KERNEL fence
 * guards, and a device access to it is reported (dma_access.ts). Context: the exporter, with the
 * buffer's resv lock held. A page being renewed (phys_replace) is waited out; it stays owned.
 * Only an owned page can be moved into — TTM hands ttm_bo_move_accel_cleanup a resource it just
 * allocated for this buffer under the resv lock, and has no error path for one it does not own:
 * moving into a page that is free, quarantined (freed), already moving, the nirvana page or
 * outside the table is a use-after-free (the copy writes memory the buffer lost), so it WARNs
 * PAGE_BAD_MOVE and changes nothing.
 */
export function phys_move_begin(t: Task, p: number): void {
  if (!inTable(t, p) || casSettled(t, p, PGS_OWNED, PGS_OWNED, PGS_MOVING) < 0) badPage(t, 'PAGE_BAD_MOVE', p);
}

/**
 * The copy into page `p` completed (before its move fence signals): the page is the buffer's. A
 * page being renewed meanwhile (phys_replace keeps it moving) is waited out, so the completion is
 * never lost; a page no longer moving (freed since) is left as it is.
 */
export function phys_move_done(t: Task, p: number): void {
  if (inTable(t, p)) casSettled(t, p, PGS_MOVING, PGS_MOVING, PGS_OWNED);
}

/** A new bound device; returns its id. */
export function device_add(t: Task): number {
  const a = t.arena;
  const d = allocRow(a, C_NEXT_DEVICE, a.geometry.devices, 'device');
  t.i32[a.device(d) + DV_STATE] = DVS_BOUND;
  return d;
}

/**
 * Mark device `d` removed (driver unbound) by the calling task, now (traced: EV_DEVICE_REMOVE).
 * An exporter's remove() must wait for every importer's unmap of the device's memory first
 * (kernel-semantics §4.8, §8 item 6; S4). The device's memory, as the model knows it: the pages
 * of the dma-bufs `exported` — the page table records a page's owning dma-buf, not a device, so
 * the exporter names the buffers it exports from `d` (VFIO: those on vdev->dmabufs) — whichever
 * device mapped them (an importer maps with its own: iommufd), plus whatever was mapped for `d`
 * itself (dma_map_sg's device). Each such mapping still live (live_mappings.ts), counted once,
 * WARNs REMOVE_WITH_MAPPINGS on its dma-buf — the attachment's, or for a mapping made without one
 * the owner of its first live page (-1: none) — aux [mapper + 1, map step, attachment + 1, its
 * live pages]. Context: any task; the caller holds whatever keeps `exported` stable.
 */
export function device_mark_removed(t: Task, d: number, exported: readonly number[] = []): void {
  const b = t.arena.device(d);
  t.i32[b + DV_REMOVED_BY] = t.id + 1;
  t.i32[b + DV_REMOVED_STEP] = t.i32[t.ctl + C_STEP]!;
  Atomics.store(t.i32, b + DV_STATE, DVS_REMOVED);
  t.trace(packOp(EV_DEVICE_REMOVE, d));
  for (const m of device_live_mappings(t, d, exported)) {
    const db = m.attach === 0 ? page_owner(t, m.page) : t.i32[t.arena.attachment(m.attach - 1) + AT_DMABUF]! - 1;
    t.warn('REMOVE_WITH_MAPPINGS', db, 0, [m.by, m.step, m.attach, m.entries]);
  }
}

/**
 * The live mappings of device `dev`'s memory, in IOMMU-table order: those made for `dev` itself
 * (dma_map_sg's device), and those of a page owned by one of the dma-bufs `exported` (whichever
 * device they were made for: an importer maps with its own). Each mapping once, counting its
 * entries that match either way.
 */
function device_live_mappings(t: Task, dev: number, exported: readonly number[]): LiveMapping[] {
  const owners = new Set(exported);
  return live_mappings_where(t, (b) => t.i32[b + IO_DEV] === dev || owners.has(page_owner(t, t.i32[b + IO_PAGE]!)));
}

export function device_removed(t: Task, d: number): boolean {
  return Atomics.load(t.i32, t.arena.device(d) + DV_STATE) === DVS_REMOVED;
}
