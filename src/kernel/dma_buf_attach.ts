/**
 * Attaching importers to a dma-buf: dma_buf_dynamic_attach / dma_buf_attach / dma_buf_detach and
 * dma_buf_attach_revocable.
 *
 * Locking: attach and detach take the resv lock themselves, so the caller must NOT hold it
 * (holding it self-deadlocks, and the deadlock detector reports it). The exporter's attach and
 * detach ops run unlocked.
 */
import { EINVAL } from '../errno/errno.js';
import {
  ATF_FREED, AT_DEV, AT_DMABUF, AT_FLAGS, AT_IOPS, AT_IPRIV, AT_MAPS, AT_P2P, AT_PINS,
  AT_PRIV, C_NEXT_ATTACH, DB_OPS,
} from '../shm/layout.js';
import { allocRow } from './alloc.js';
import { attachment_list_add } from './dma_buf_attachments.js';
import { dma_buf_check, dma_buf_resv, kernelIsV3, type DmaBuf, type DmaBufAttachment } from './dma_buf.js';
import { exporterOps, importerOps } from './dma_buf_ops.js';
import { dma_resv_lock, dma_resv_unlock } from './dma_resv.js';
import { GFP_KERNEL } from './gfp.js';
import { might_alloc } from './lockdep_map.js';
import type { Task } from './task.js';
import type { KGen } from './types.js';
import { siteId } from './warn.js';

/**
 * dma_buf_dynamic_attach: attach device `dev` with importer ops `iops` (0: static importer).
 * The attachment is allocated with GFP_KERNEL (kzalloc: might_alloc) after the argument checks.
 * Calls the exporter's attach (unlocked; its error aborts), then links the attachment under the
 * resv lock. Returns the attachment, or -EINVAL (WARN, v3 only: ops without invalidate_mappings;
 * or a use-after-free of a dma-buf already released, DMABUF_USE_AFTER_FREE) or the exporter's
 * error.
 */
export function* dma_buf_dynamic_attach(t: Task, db: DmaBuf, dev: number, iops: number, ipriv = 0): KGen<DmaBufAttachment | number> {
  if (!dma_buf_check(t, db, 'dma_buf_dynamic_attach')) return -EINVAL;
  const ops = importerOps(iops);
  if (ops !== undefined && ops.invalidate_mappings === undefined && kernelIsV3(t)) {
    t.warn('DMABUF_ATTACH_NO_INVALIDATE', db);
    return -EINVAL;
  }
  might_alloc(t, GFP_KERNEL);
  const a = t.arena;
  const id = allocRow(a, C_NEXT_ATTACH, a.geometry.attachments, 'dma_buf_attachment') as DmaBufAttachment;
  const b = a.attachment(id);
  const h = t.i32;
  h[b + AT_DMABUF] = db + 1;
  h[b + AT_DEV] = dev;
  h[b + AT_IOPS] = iops;
  h[b + AT_P2P] = ops?.allow_peer2peer === true ? 1 : 0;
  h[b + AT_PRIV] = 0;
  h[b + AT_IPRIV] = ipriv;
  h[b + AT_PINS] = 0;
  h[b + AT_MAPS] = 0;
  h[b + AT_FLAGS] = 0;
  const exp = exporterOps(h[a.dmabuf(db) + DB_OPS]!);
  if (exp.attach !== undefined) {
    const ret = yield* exp.attach(t, db, id);
    if (ret !== 0) { h[b + AT_FLAGS] = ATF_FREED; return ret; }
  }
  yield* dma_resv_lock(t, dma_buf_resv(t, db), null);
  attachment_list_add(t, db, id);
  dma_resv_unlock(t, dma_buf_resv(t, db));
  return id;
}

/** dma_buf_attach: a static (legacy) importer — no ops, no peer2peer, never notified. */
export function dma_buf_attach(t: Task, db: DmaBuf, dev: number): KGen<DmaBufAttachment | number> {
  return dma_buf_dynamic_attach(t, db, dev, 0, 0);
}

/**
 * dma_buf_detach: unlink under the resv lock, then the exporter's detach (unlocked); the
 * attachment is freed. Detaching with pins or mappings still held is an importer bug (leak
 * findings); an attachment of another dma-buf WARNs and is left alone. Detaching twice — one
 * after the other, or two racing detaches of which the second gets the lock after the first
 * unlinked — is the kernel's list_del and kfree of a freed attachment: reported as a
 * use-after-free (DMABUF_ATTACH_USE_AFTER_FREE), and neither the list nor the exporter sees it
 * again.
 */
export function* dma_buf_detach(t: Task, db: DmaBuf, at: DmaBufAttachment): KGen<void> {
  const h = t.i32;
  const b = t.arena.attachment(at);
  if (!attachment_check(t, at, 'dma_buf_detach')) return;
  if (h[b + AT_DMABUF] !== db + 1) { t.warn('DMABUF_DETACH_MISMATCH', at); return; }
  if (h[b + AT_PINS]! > 0) t.warn('DMABUF_DETACH_PINNED', at);
  if (h[b + AT_MAPS]! > 0) t.warn('DMABUF_DETACH_MAPPED', at);
  yield* dma_resv_lock(t, dma_buf_resv(t, db), null);
  const first = attachment_check(t, at, 'dma_buf_detach');
  if (first) h[b + AT_FLAGS] = ATF_FREED;
  dma_resv_unlock(t, dma_buf_resv(t, db));
  if (!first) return;
  const exp = exporterOps(h[t.arena.dmabuf(db) + DB_OPS]!);
  if (exp.detach !== undefined) yield* exp.detach(t, db, at);
}

/**
 * dma_buf_attach_revocable: the importer will stop access and unmap in bounded time when told.
 * Final: it has ops with invalidate_mappings. v3: ops whose callback is not the unsupported stub.
 */
export function dma_buf_attach_revocable(t: Task, at: DmaBufAttachment): boolean {
  const iops = t.i32[t.arena.attachment(at) + AT_IOPS]!;
  const ops = importerOps(iops);
  if (ops?.invalidate_mappings === undefined) return false;
  return !kernelIsV3(t) || ops.invalidate_mappings !== unsupportedInvalidate;
}

/** The v3 stub's body: it only warns that a pinned importer cannot be invalidated. */
export function* unsupportedInvalidate(t: Task, at: number): KGen<void> {
  t.warn('DMABUF_UNSUPPORTED_INVALIDATE', at);
}

/**
 * Check an attachment handle at the start of `fn`: true while it is attached; false after
 * reporting a use of an attachment dma_buf_detach (or a failed attach) freed — KASAN's
 * slab-use-after-free (DMABUF_ATTACH_USE_AFTER_FREE, titled after `fn`). The caller then leaves
 * the attachment, its dma-buf and the exporter alone and fails the call. Any task.
 */
export function attachment_check(t: Task, at: DmaBufAttachment, fn: string): boolean {
  if ((t.i32[t.arena.attachment(at) + AT_FLAGS]! & ATF_FREED) === 0) return true;
  t.warn('DMABUF_ATTACH_USE_AFTER_FREE', at, siteId(fn));
  return false;
}

/** attach->dmabuf */
export function attachment_dmabuf(t: Task, at: DmaBufAttachment): DmaBuf {
  return (t.i32[t.arena.attachment(at) + AT_DMABUF]! - 1) as DmaBuf;
}

/** attach->peer2peer */
export function attachment_peer2peer(t: Task, at: DmaBufAttachment): boolean {
  return t.i32[t.arena.attachment(at) + AT_P2P] === 1;
}

/** attach->importer_priv / attach->priv (exporter-private) */
export function attachment_importer_priv(t: Task, at: DmaBufAttachment): number {
  return t.i32[t.arena.attachment(at) + AT_IPRIV]!;
}
export function attachment_priv(t: Task, at: DmaBufAttachment): number {
  return t.i32[t.arena.attachment(at) + AT_PRIV]!;
}
export function attachment_set_priv(t: Task, at: DmaBufAttachment, v: number): void {
  t.i32[t.arena.attachment(at) + AT_PRIV] = v;
}
