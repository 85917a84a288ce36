/**
 * The KASAN-like check of every device access: a DMA engine reading or writing one page through a
 * DMA address. The access is judged against the IOMMU entry, the page's shadow state and the
 * dma-buf's revocation, and a finding names who mapped, who revoked / freed / unmapped, and when
 * (aux words: [mapper + 1, map step, other actor + 1, other step]).
 *
 * - unmapped (or never mapped) address: dma-after-unmap (an IOMMU fault);
 * - redirected to nirvana (state, or a target page already switched to the nirvana page by a
 *   concurrent redirect): reads are harmless, a write is a use-after-revoke;
 * - page freed or reused since the mapping was made (generation changed): use-after-free;
 * - the exporter completed revoke and the access is not speculative read-ahead: use-after-revoke.
 */
import { EFAULT } from '../errno/errno.js';
import {
  AT_DMABUF, DB_REVOKED_BY, DB_REVOKE_STEP, IOS_NIRVANA, IOS_VALID, IO_ATTACH, IO_CHANGED_BY,
  IO_CHANGE_STEP, IO_GEN, IO_MAPPED_BY, IO_MAP_STEP, IO_PAGE, IO_STATE, PGS_OWNED, PG_FREED_BY,
  PG_FREED_STEP, PG_GEN, PG_STATE,
} from '../shm/layout.js';
import { NIRVANA_PAGE } from './memory.js';
import type { Task } from './task.js';
import type { WarnName } from './warn.js';

/** Access the page behind DMA address `iova`. 0, or -EFAULT on an IOMMU fault. */
export function dma_engine_access(t: Task, iova: number, write: boolean, speculative: boolean): number {
  const a = t.arena;
  const h = t.i32;
  const b = a.iova(iova);
  const st = Atomics.load(h, b + IO_STATE);
  if (st !== IOS_VALID && st !== IOS_NIRVANA) {
    report(t, 'DMA_AFTER_UNMAP', iova, b, h[b + IO_CHANGED_BY]!, h[b + IO_CHANGE_STEP]!);
    return -EFAULT;
  }
  const page = h[b + IO_PAGE]!;
  if (st === IOS_NIRVANA || page === NIRVANA_PAGE) {
    if (write) report(t, 'DMA_WRITE_NIRVANA', iova, b, h[b + IO_CHANGED_BY]!, h[b + IO_CHANGE_STEP]!);
    return 0;
  }
  const pg = a.page(page);
  if (Atomics.load(h, pg + PG_STATE) !== PGS_OWNED || h[pg + PG_GEN] !== h[b + IO_GEN]) {
    report(t, 'DMA_USE_AFTER_FREE', iova, b, h[pg + PG_FREED_BY]!, h[pg + PG_FREED_STEP]!);
    return 0;
  }
  const at = h[b + IO_ATTACH]!;
  if (at !== 0 && !speculative) {
    const db = a.dmabuf(h[a.attachment(at - 1) + AT_DMABUF]! - 1);
    if (h[db + DB_REVOKED_BY] !== 0) report(t, 'DMA_USE_AFTER_REVOKE', iova, b, h[db + DB_REVOKED_BY]!, h[db + DB_REVOKE_STEP]!);
  }
  copyPage(t, h[b + IO_PAGE]!, write);
  return 0;
}

/** Record a finding for DMA address `iova` (IOMMU entry at `b`) with who mapped it and the other party. */
function report(t: Task, name: WarnName, iova: number, b: number, otherBy: number, otherStep: number): void {
  const h = t.i32;
  t.warn(name, iova, 0, [h[b + IO_MAPPED_BY]!, h[b + IO_MAP_STEP]!, otherBy, otherStep]);
}

/**
 * Move the page's bytes when the scenario models device memory contents: a write copies the
 * engine's buffer (the page after the last) into the page, a read copies the page out.
 */
function copyPage(t: Task, page: number, write: boolean): void {
  const m = t.devmem;
  if (m === undefined) return;
  const pb = m.pageBytes;
  const buffer = t.arena.geometry.pages * pb;
  if (write) m.copy(page * pb, buffer, pb);
  else m.copy(buffer, page * pb, pb);
}
