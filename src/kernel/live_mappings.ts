/**
 * Live importer mappings, as the teardown checks see them: the IOMMU entries still live (valid,
 * or redirected to the nirvana page) that an exporter's dma_map_sg made, grouped per mapping —
 * one dma_map_sg call, told apart by who made it, at which step, through which attachment. The
 * checks that the exporter's teardown waited for every unmap (revoke_return, memory.ts
 * device_mark_removed) and that a page is not reused while mapped (memory.ts phys_replace) name
 * the mappings this finds, from one walk of the IOMMU table.
 *
 * Context: any task; no lock needed. Under stress an unmap racing the walk may be seen either
 * way (each entry is read settled: iova_settled).
 */
import { AT_DMABUF, IO_ATTACH, IO_MAPPED_BY, IO_MAP_STEP, IO_PAGE } from '../shm/layout.js';
import { iova_live, iova_settled } from './iova_entry.js';
import type { Task } from './task.js';

/** A live mapping, as findings name it: who made it (actor + 1), at which step, through which
 *  dma-buf attachment (id + 1; 0: made without one), how many of its entries are still live (its
 *  pages), and the page its first live entry translates to. */
export interface LiveMapping {
  readonly by: number;
  readonly step: number;
  readonly attach: number;
  readonly entries: number;
  readonly page: number;
}

/**
 * The live mappings of dma-buf `db`: made through an attachment of `db`, in IOMMU-table order of
 * their first live entry.
 */
export function dmabuf_live_mappings(t: Task, db: number): LiveMapping[] {
  const a = t.arena;
  return live_mappings_where(t, (b) => {
    const at = t.i32[b + IO_ATTACH]!;
    return at !== 0 && t.i32[a.attachment(at - 1) + AT_DMABUF] === db + 1;
  });
}

/** The live mappings with an entry that translates to page `p`, in IOMMU-table order. */
export function page_live_mappings(t: Task, p: number): LiveMapping[] {
  return live_mappings_where(t, (b) => t.i32[b + IO_PAGE] === p);
}

/**
 * The live mappings with an entry the predicate `mine` (given the entry's base in the IOMMU
 * table) accepts, in IOMMU-table order of their first such entry; `entries` counts those entries.
 */
export function live_mappings_where(t: Task, mine: (b: number) => boolean): LiveMapping[] {
  const a = t.arena;
  const h = t.i32;
  const out = new Map<string, { by: number; step: number; attach: number; entries: number; page: number }>();
  for (let x = 0; x < a.geometry.iovas; x++) {
    const b = a.iova(x);
    if (!iova_live(iova_settled(t, b)) || !mine(b)) continue;
    const m = { by: h[b + IO_MAPPED_BY]!, step: h[b + IO_MAP_STEP]!, attach: h[b + IO_ATTACH]! };
    const key = `${m.by}:${m.step}:${m.attach}`;
    const seen = out.get(key);
    if (seen === undefined) out.set(key, { ...m, entries: 1, page: h[b + IO_PAGE]! });
    else seen.entries++;
  }
  return [...out.values()];
}
