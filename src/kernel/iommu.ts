/**
 * DMA addresses: an IOMMU table translating each DMA address (one page) to a physical page, or to
 * the nirvana page, or to nothing (unmapped: a fault). dma_map_sg / dma_unmap_sg are the DMA-API
 * calls exporters make in map_dma_buf / unmap_dma_buf; calling them for a removed device is a
 * use-after-remove (the exporter's driver is unbound).
 *
 * A mapping handle is its first DMA address id + 1 (> 0, so it can be returned from map_dma_buf).
 */
import { ENOMEM } from '../errno/errno.js';
import {
  AT_DMABUF, C_NEXT_IOVA, C_STEP, DV_REMOVED_BY, DV_REMOVED_STEP, IOS_NIRVANA, IOS_UNMAPPED, IOS_VALID,
  IO_ATTACH, IO_CHANGED_BY, IO_CHANGE_STEP, IO_DEV, IO_GEN, IO_MAPPED_BY, IO_MAP_STEP, IO_PAGE,
  IO_STATE, PG_GEN,
} from '../shm/layout.js';
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
  const base = Atomics.add(h, t.ctl + C_NEXT_IOVA, pages.length);
  if (base + pages.length > a.geometry.iovas) return -ENOMEM;
  const step = h[t.ctl + C_STEP]!;
  pages.forEach((p, i) => {
    const b = a.iova(base + i);
    h[b + IO_PAGE] = p;
    h[b + IO_GEN] = h[a.page(p) + PG_GEN]!;
    h[b + IO_ATTACH] = attach + 1;
    h[b + IO_DEV] = dev;
    h[b + IO_MAPPED_BY] = t.id + 1;
    h[b + IO_MAP_STEP] = step;
    Atomics.store(h, b + IO_STATE, IOS_VALID);
  });
  return base + 1;
}

/** dma_unmap_sg: unmap `n` DMA addresses of mapping `handle`. Use-after-remove when `dev` is gone. */
export function dma_unmap_sg(t: Task, dev: number, handle: number, n: number): void {
  checkDevice(t, dev, 'dma_unmap_sg');
  setState(t, handle, n, IOS_UNMAPPED);
}

/** Point `n` DMA addresses of mapping `handle` at the nirvana page (reads see garbage, writes trap). */
export function iommu_redirect_nirvana(t: Task, handle: number, n: number): void {
  setState(t, handle, n, IOS_NIRVANA);
}

function setState(t: Task, handle: number, n: number, state: number): void {
  const a = t.arena;
  const h = t.i32;
  for (let i = 0; i < n; i++) {
    const b = a.iova(handle - 1 + i);
    if (state === IOS_NIRVANA) h[b + IO_PAGE] = NIRVANA_PAGE;
    h[b + IO_CHANGED_BY] = t.id + 1;
    h[b + IO_CHANGE_STEP] = h[t.ctl + C_STEP]!;
    Atomics.store(h, b + IO_STATE, state);
  }
}

/** Every live (valid or nirvana) mapping handle of attachment `attach`'s DMA addresses. */
export function attachment_live_iovas(t: Task, attach: number): number {
  const a = t.arena;
  let n = 0;
  for (let x = 0; x < a.geometry.iovas; x++) {
    const b = a.iova(x);
    const st = t.i32[b + IO_STATE];
    if (t.i32[b + IO_ATTACH] === attach + 1 && (st === IOS_VALID || st === IOS_NIRVANA)) n++;
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
 */
export function iommu_redirect_dmabuf(t: Task, db: number): number {
  const a = t.arena;
  const h = t.i32;
  let n = 0;
  for (let x = 0; x < a.geometry.iovas; x++) {
    const b = a.iova(x);
    const at = h[b + IO_ATTACH]!;
    if (h[b + IO_STATE] !== IOS_VALID || at === 0 || h[a.attachment(at - 1) + AT_DMABUF] !== db + 1) continue;
    setState(t, x + 1, 1, IOS_NIRVANA);
    n++;
  }
  return n;
}
