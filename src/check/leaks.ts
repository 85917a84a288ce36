/**
 * Leaks at trial end: what an actor took and nobody gave back once every actor finished — pins,
 * mappings and attachments of dma-bufs, IOMMU-table mappings made for an attachment that outlived
 * it (LEAK_DMA_MAPPING, below), user vmas still mapping a dma-buf (LEAK_VMA: never munmapped; an
 * actor's exit does not unmap, as it does not close its fds), dma-bufs still holding a file
 * reference besides those vmas' (nobody's last dma_buf_put ran, so the exporter's release never
 * did: the buffer and its backing stay allocated, as /sys/kernel/debug/dma_buf/bufinfo would still
 * list it), and fences whose expected signaler finished without signalling them (a waiter would
 * hang). Locks held at exit are reported when the task exits (do_exit), not here. Reads the arena
 * only.
 *
 * Reservation objects are not leaks here. A resv leaks its fence list (and the fences in it) when
 * the object embedding it is freed without dma_resv_fini — kmemleak then finds the list
 * unreferenced. The model frees one such object, the dma-buf, whose release finishes its own resv;
 * a dma-buf never released is LEAK_DMABUF, its resv's list with it. A resv a setup made with
 * dma_resv_init belongs to the scenario's environment, which outlives the trial: its list is still
 * referenced, so kmemleak would report nothing.
 */
import type { Arena } from '../shm/arena.js';
import {
  ACTOR_DONE, ATF_LINKED, AT_DMABUF, AT_FLAGS, AT_MAPS, AT_PINS, A_STATE, C_NEXT_ATTACH, C_NEXT_DMABUF,
  C_NEXT_FENCE, C_NEXT_IOVA, DBF_LIVE, DBF_RELEASED, DB_FILEREFS, DB_FLAGS, FENCEF_LIVE, FENCEF_SIGNALED,
  F_FLAGS, F_REFCOUNT, F_SIGNALER, IOS_NIRVANA, IOS_REDIRECTING, IOS_VALID, IO_ATTACH, IO_STATE, VMA_ROWS,
  VM_DMABUF, VM_OWNER,
} from '../shm/layout.js';

/** Every leak code, with the function that should have released the object (the title's). */
export const LEAK_CODES = {
  LEAK_PIN: 'dma_buf_unpin',
  LEAK_MAPPING: 'dma_buf_unmap_attachment',
  LEAK_ATTACHMENT: 'dma_buf_detach',
  LEAK_DMA_MAPPING: 'dma_unmap_sg',
  LEAK_VMA: 'vm_munmap',
  LEAK_DMABUF: 'dma_buf_put',
  LEAK_FENCE: 'dma_fence_signal',
} as const;
export type LeakCode = keyof typeof LEAK_CODES;

export interface Leak {
  /** Stable code, a key of LEAK_CODES. */
  readonly code: LeakCode;
  /** The function that should have released it (the finding's title names it). */
  readonly fn: string;
  readonly obj: number;
  readonly what: string;
}

/** Every leak in `a` after a trial of `actors` actors ended with all of them done. */
export function findLeaks(a: Arena, actors: number): Leak[] {
  const out: Leak[] = [];
  attachmentLeaks(a, out);
  dmaMappingLeaks(a, out);
  dmabufLeaks(a, out, vmaLeaks(a, out));
  fenceLeaks(a, actors, out);
  return out;
}

function leak(code: LeakCode, obj: number, what: string): Leak {
  return { code, fn: LEAK_CODES[code], obj, what };
}

/** Rows of a table taken this trial: its cursor word in the control record, capped at its size. */
function rowsUsed(a: Arena, cursor: number, rows: number): number {
  return Math.min(a.i32[a.layout.control + cursor]!, rows);
}

/** Attachments still pinned or mapped at the trial's end (LEAK_PIN, LEAK_MAPPING) or
 *  never detached (LEAK_ATTACHMENT): appended to `out`, the one list findLeaks builds, in table
 *  order. */
function attachmentLeaks(a: Arena, out: Leak[]): void {
  const h = a.i32;
  const n = rowsUsed(a, C_NEXT_ATTACH, a.geometry.attachments);
  for (let x = 0; x < n; x++) {
    const b = a.attachment(x);
    const db = h[b + AT_DMABUF]! - 1;
    if (h[b + AT_PINS]! > 0) out.push(leak('LEAK_PIN', x, `attachment ${x} of dma-buf ${db} still pinned (${h[b + AT_PINS]})`));
    if (h[b + AT_MAPS]! > 0) out.push(leak('LEAK_MAPPING', x, `attachment ${x} of dma-buf ${db} still mapped (${h[b + AT_MAPS]})`));
    if ((h[b + AT_FLAGS]! & ATF_LINKED) !== 0) out.push(leak('LEAK_ATTACHMENT', x, `attachment ${x} of dma-buf ${db} never detached`));
  }
}

/**
 * IOMMU-table entries still mapped (valid or redirected to nirvana) on behalf of an attachment
 * that was detached: nobody's dma_unmap_sg gave them back, so the translation outlives the
 * attachment it was made for — the kernel's iommu_domain_free and dma_buf_detach do not look, but
 * CONFIG_DMA_API_DEBUG's "device driver has pending DMA allocations" and the IOMMU debug page
 * tracking would find them. The case in point: an iommufd domain whose mapping the revoke skipped
 * and the unfill then trusted as revoked (iommufd_knobs.ts 'unmap-first-tracked'), untracked and
 * so never unmapped nor WARNed about by iopt_release_pages. One leak per attachment, on it.
 * Entries of an attachment still linked are not counted (its LEAK_ATTACHMENT, and LEAK_MAPPING
 * for a map_dma_buf, report it), nor entries mapped for no attachment (a scenario's environment).
 *
 * So an exporter whose unmap_dma_buf forgets dma_unmap_sg, under an attachment that also leaks,
 * shows LEAK_ATTACHMENT only — deliberately, as the kernel would: dma_buf_detach never looks at
 * the device's DMA mappings (it unmaps only a cached sg_table), and CONFIG_DMA_API_DEBUG reports
 * pending mappings per device, not per attachment, and only when the device's driver unbinds
 * (dma_debug_device_change), which no trial does; a leaked attachment is kmemleak's one root.
 * The arena cannot tell them apart either: an iommufd importer maps its domains through its
 * attachment without map_dma_buf (AT_MAPS stays 0), so a linked attachment's live entries with
 * no map outstanding are also what every leaked iommufd attachment legitimately still holds, and
 * counting them would report that one leak twice. Once the importer detaches (its fix), the
 * forgotten dma_unmap_sg shows here as LEAK_DMA_MAPPING.
 */
function dmaMappingLeaks(a: Arena, out: Leak[]): void {
  const h = a.i32;
  let live: Map<number, { first: number; n: number }> | undefined;
  const n = rowsUsed(a, C_NEXT_IOVA, a.geometry.iovas);
  for (let x = 0; x < n; x++) {
    const b = a.iova(x);
    const st = h[b + IO_STATE]!;
    const at = h[b + IO_ATTACH]! - 1;
    if (at < 0 || (st !== IOS_VALID && st !== IOS_NIRVANA && st !== IOS_REDIRECTING)) continue;
    if ((h[a.attachment(at) + AT_FLAGS]! & ATF_LINKED) !== 0) continue;
    live ??= new Map();
    const seen = live.get(at);
    if (seen === undefined) live.set(at, { first: x, n: 1 });
    else seen.n++;
  }
  if (live === undefined) return;
  for (const [at, { first, n: count }] of [...live].sort(([x], [y]) => x - y)) {
    const db = h[a.attachment(at) + AT_DMABUF]! - 1;
    const what = `attachment ${at} of dma-buf ${db} detached with ${count} DMA address${count === 1 ? '' : 'es'} still mapped (the first is DMA address ${first})`;
    out.push(leak('LEAK_DMA_MAPPING', at, what));
  }
}

/**
 * User vmas still mapping a dma-buf (LEAK_VMA, one per vma, on it): never munmapped. Each holds a
 * file reference on its buffer (dma_buf_mmap), so the buffer is never released either; that is
 * this leak's, not the buffer's (dmabufLeaks counts only the references no vma holds). A buffer
 * released anyway lost the vma's reference to someone else's put (a refcount bug reported where
 * it happened, or not at all): the message says so instead of blaming the vma for keeping it.
 * Rows are taken in order and never freed within a trial, so the walk ends at the first free one:
 * one word read when no vma was made. Returns the references the vmas hold per dma-buf, if any.
 */
function vmaLeaks(a: Arena, out: Leak[]): Map<number, number> | undefined {
  const h = a.i32;
  let held: Map<number, number> | undefined;
  for (let v = 0; v < VMA_ROWS; v++) {
    const b = a.vma(v);
    const owner = h[b + VM_OWNER]! - 1;
    if (owner < 0) break;
    const db = h[b + VM_DMABUF]! - 1;
    if (db < 0) continue;
    held ??= new Map();
    held.set(db, (held.get(db) ?? 0) + 1);
    const released = (h[a.dmabuf(db) + DB_FLAGS]! & DBF_RELEASED) !== 0;
    const why = released ? 'its file reference was put by someone else: the buffer was released under it' : 'its file reference keeps the buffer';
    out.push(leak('LEAK_VMA', v, `vma ${v} of actor ${owner} still maps dma-buf ${db}: never munmapped, ${why}`));
  }
  return held;
}

/**
 * Exported dma-bufs whose file references were not all dropped: never released. The references
 * vmas still mapping the buffer hold (`vmaRefs`, reported as LEAK_VMA) are not counted: a buffer
 * only they keep is not a leak of its own. A count that underflowed saturates negative
 * (refcount_t) and was reported when it did; it is not a leak.
 */
function dmabufLeaks(a: Arena, out: Leak[], vmaRefs: Map<number, number> | undefined): void {
  const h = a.i32;
  const n = rowsUsed(a, C_NEXT_DMABUF, a.geometry.dmabufs);
  for (let x = 0; x < n; x++) {
    const d = a.dmabuf(x);
    const refs = h[d + DB_FILEREFS]! - (vmaRefs?.get(x) ?? 0);
    if ((h[d + DB_FLAGS]! & (DBF_LIVE | DBF_RELEASED)) !== DBF_LIVE || refs <= 0) continue;
    out.push(leak('LEAK_DMABUF', x, `dma-buf ${x} never released: ${refs} file reference${refs === 1 ? '' : 's'} not put`));
  }
}

/** Live fences never signaled although their signaler (one of the `actors`) finished, still
 *  referenced (LEAK_FENCE): appended to `out`, the one list findLeaks builds, in table order. */
function fenceLeaks(a: Arena, actors: number, out: Leak[]): void {
  const h = a.i32;
  const n = rowsUsed(a, C_NEXT_FENCE, a.geometry.fences);
  for (let f = 1; f < n; f++) {
    const b = a.fence(f);
    const flags = h[b + F_FLAGS]!;
    const signaler = h[b + F_SIGNALER]! - 1;
    if ((flags & FENCEF_LIVE) === 0 || (flags & FENCEF_SIGNALED) !== 0 || h[b + F_REFCOUNT]! <= 0) continue;
    if (signaler < 0 || signaler >= actors || h[a.actor(signaler) + A_STATE] !== ACTOR_DONE) continue;
    out.push(leak('LEAK_FENCE', f, `fence ${f} never signaled by its signaler (actor ${signaler}), which finished`));
  }
}
