/**
 * Pinning, mapping and invalidation (drivers/dma-buf/dma-buf.c).
 *
 * Locking convention (kernel-semantics §4.3): dma_buf_pin/unpin, dma_buf_map_attachment and
 * dma_buf_unmap_attachment require the resv lock held by the caller (checked per task: a
 * lock-not-held finding titled after the function); the `_unlocked` variants take it themselves,
 * so a caller holding it self-deadlocks. The exporter calls dma_buf_invalidate_mappings with the
 * lock held, so every importer's invalidate_mappings runs under it.
 *
 * Each pin (also pin-on-map), unpin, map (with its result), unmap and invalidate leaves one trace
 * event (trace/ops.ts EV_PIN..EV_INVALIDATE) for the Perfetto export; tracing changes nothing else.
 */
import { EBUSY, EINVAL, ENOMEM } from '../errno/errno.js';
import { AT_IOPS, AT_MAPS, AT_PINS, DB_OPS, packOp } from '../shm/layout.js';
import { EV_INVALIDATE, EV_MAP, EV_PIN, EV_UNMAP, EV_UNPIN } from '../trace/ops.js';
import { attachment_check, attachment_dmabuf } from './dma_buf_attach.js';
import { attachment_on_list, dma_buf_attachments } from './dma_buf_attachments.js';
import { dma_buf_resv, kernelIsV3, type DmaBuf, type DmaBufAttachment } from './dma_buf.js';
import { exporterOps, importerOps, type DmaBufOps, type DmaDataDirection } from './dma_buf_ops.js';
import { DMA_RESV_USAGE_KERNEL, dma_resv_assert_held, dma_resv_lock, dma_resv_unlock } from './dma_resv.js';
import { dma_resv_wait_timeout } from './dma_resv_query.js';
import { MARK_BEGIN, MARK_END, PH_MAP, PH_PIN } from './phases.js';
import type { Task } from './task.js';
import { MAX_SCHEDULE_TIMEOUT, type KGen } from './types.js';

function opsOf(t: Task, db: DmaBuf): DmaBufOps {
  return exporterOps(t.i32[t.arena.dmabuf(db) + DB_OPS]!);
}

function isStatic(t: Task, at: DmaBufAttachment): boolean {
  return t.i32[t.arena.attachment(at) + AT_IOPS] === 0;
}

/** dma_buf_pin_on_map: the exporter can pin and the attachment is static. */
function pinOnMap(t: Task, at: DmaBufAttachment): boolean {
  return isStatic(t, at) && opsOf(t, attachment_dmabuf(t, at)).pin !== undefined;
}

/**
 * dma_buf_pin: pin a dynamic attachment's buffer in place. Lock required. A static attachment
 * WARNs (the kernel proceeds anyway). The exporter's pin, if any; 0 or its error; -EINVAL for a
 * detached (freed) attachment, reported as a use-after-free without reaching the exporter.
 */
export function* dma_buf_pin(t: Task, at: DmaBufAttachment): KGen<number> {
  if (!attachment_check(t, at, 'dma_buf_pin')) return -EINVAL;
  const db = attachment_dmabuf(t, at);
  if (isStatic(t, at)) t.warn('DMABUF_PIN_STATIC', at);
  dma_resv_assert_held(t, dma_buf_resv(t, db), 'dma_buf_pin');
  return yield* pinLocked(t, db, at);
}

function* pinLocked(t: Task, db: DmaBuf, at: DmaBufAttachment): KGen<number> {
  t.mark(PH_PIN, MARK_BEGIN);
  const pin = opsOf(t, db).pin;
  const ret = pin === undefined ? 0 : yield* pin(t, at);
  if (ret === 0) t.i32[t.arena.attachment(at) + AT_PINS]!++;
  t.trace(packOp(EV_PIN, at), db, ret);
  t.mark(PH_PIN, MARK_END);
  return ret;
}

/**
 * dma_buf_unpin: undo a pin. Lock required. Like dma_buf_pin, a static attachment WARNs
 * (DMABUF_UNPIN_STATIC; the kernel proceeds anyway). An unpin without a pin WARNs
 * (DMABUF_UNPIN_UNDERFLOW) and still reaches the exporter's unpin, as the kernel's does: it
 * keeps no pin count, so the exporter sees the extra unpin. On a detached (freed) attachment a
 * use-after-free that changes nothing.
 */
export function* dma_buf_unpin(t: Task, at: DmaBufAttachment): KGen<void> {
  if (!attachment_check(t, at, 'dma_buf_unpin')) return;
  const db = attachment_dmabuf(t, at);
  if (isStatic(t, at)) t.warn('DMABUF_UNPIN_STATIC', at);
  dma_resv_assert_held(t, dma_buf_resv(t, db), 'dma_buf_unpin');
  yield* unpinLocked(t, db, at);
}

/**
 * Drop a pin and call the exporter's unpin. With no pin left, WARNs DMABUF_UNPIN_UNDERFLOW unless
 * `quiet` (an unmap's pin-on-map undo, whose caller already WARNed the unmap: one bug, one
 * finding).
 */
function* unpinLocked(t: Task, db: DmaBuf, at: DmaBufAttachment, quiet = false): KGen<void> {
  const b = t.arena.attachment(at);
  if (t.i32[b + AT_PINS]! > 0) t.i32[b + AT_PINS]!--;
  else if (!quiet) t.warn('DMABUF_UNPIN_UNDERFLOW', at);
  t.trace(packOp(EV_UNPIN, at), db);
  const unpin = opsOf(t, db).unpin;
  if (unpin !== undefined) yield* unpin(t, at);
}

/**
 * dma_buf_map_attachment: map the buffer for the attached device. Lock required. Static
 * importers of a pinnable exporter are pinned first (-EBUSY there also WARNs); static importers
 * then wait for KERNEL fences (interruptible) and a failed wait undoes the map and the pin.
 * Returns a mapping handle (> 0) or -errno: -EINVAL for a detached (freed) attachment, reported
 * as a use-after-free without reaching the exporter.
 */
export function* dma_buf_map_attachment(t: Task, at: DmaBufAttachment, dir: DmaDataDirection): KGen<number> {
  if (!attachment_check(t, at, 'dma_buf_map_attachment')) return -EINVAL;
  const db = attachment_dmabuf(t, at);
  dma_resv_assert_held(t, dma_buf_resv(t, db), 'dma_buf_map_attachment');
  t.mark(PH_MAP, MARK_BEGIN);
  const ret = yield* mapLocked(t, db, at, dir);
  t.mark(PH_MAP, MARK_END);
  t.trace(packOp(EV_MAP, at), db, ret);
  return ret;
}

function* mapLocked(t: Task, db: DmaBuf, at: DmaBufAttachment, dir: DmaDataDirection): KGen<number> {
  const resv = dma_buf_resv(t, db);
  const ops = opsOf(t, db);
  const pinned = pinOnMap(t, at);
  if (pinned) {
    const ret = yield* pinLocked(t, db, at);
    if (ret === -EBUSY) t.warn('DMABUF_PIN_EBUSY', at);
    if (ret < 0) return ret;
  }
  const sgt = yield* ops.map_dma_buf!(t, at, dir);
  if (sgt <= 0) {
    if (pinned) yield* unpinLocked(t, db, at);
    return sgt === 0 ? -ENOMEM : sgt;
  }
  if (isStatic(t, at)) {
    const w = yield* dma_resv_wait_timeout(t, resv, DMA_RESV_USAGE_KERNEL, true, MAX_SCHEDULE_TIMEOUT);
    if (w < 0) {
      yield* ops.unmap_dma_buf!(t, at, sgt, dir);
      if (pinned) yield* unpinLocked(t, db, at);
      return w;
    }
  }
  t.i32[t.arena.attachment(at) + AT_MAPS]!++;
  return sgt;
}

/**
 * dma_buf_unmap_attachment: undo a map (and a pin-on-map). Lock required. An unmap without a map
 * WARNs (DMABUF_UNMAP_UNDERFLOW) and still reaches the exporter's unmap_dma_buf, as the kernel's
 * does: it keeps no map count, so the exporter frees the table again and drops what the map took
 * (VFIO: a kref the revoke waits on). On a detached (freed) attachment a use-after-free that
 * reaches neither the counts nor the exporter.
 */
export function* dma_buf_unmap_attachment(t: Task, at: DmaBufAttachment, sgt: number, dir: DmaDataDirection): KGen<void> {
  if (!attachment_check(t, at, 'dma_buf_unmap_attachment')) return;
  const db = attachment_dmabuf(t, at);
  dma_resv_assert_held(t, dma_buf_resv(t, db), 'dma_buf_unmap_attachment');
  const b = t.arena.attachment(at);
  const underflow = t.i32[b + AT_MAPS]! <= 0;
  if (underflow) t.warn('DMABUF_UNMAP_UNDERFLOW', at);
  else t.i32[b + AT_MAPS]!--;
  t.trace(packOp(EV_UNMAP, at), db);
  yield* opsOf(t, db).unmap_dma_buf!(t, at, sgt, dir);
  if (pinOnMap(t, at)) yield* unpinLocked(t, db, at, underflow);
}

/** dma_buf_map_attachment_unlocked: lock, map, unlock. The caller must not hold the lock. */
export function* dma_buf_map_attachment_unlocked(t: Task, at: DmaBufAttachment, dir: DmaDataDirection): KGen<number> {
  const resv = dma_buf_resv(t, attachment_dmabuf(t, at));
  yield* dma_resv_lock(t, resv, null);
  const ret = yield* dma_buf_map_attachment(t, at, dir);
  dma_resv_unlock(t, resv);
  return ret;
}

/** dma_buf_unmap_attachment_unlocked: lock, unmap, unlock. The caller must not hold the lock. */
export function* dma_buf_unmap_attachment_unlocked(t: Task, at: DmaBufAttachment, sgt: number, dir: DmaDataDirection): KGen<void> {
  const resv = dma_buf_resv(t, attachment_dmabuf(t, at));
  yield* dma_resv_lock(t, resv, null);
  yield* dma_buf_unmap_attachment(t, at, sgt, dir);
  dma_resv_unlock(t, resv);
}

/**
 * dma_buf_invalidate_mappings (v3: dma_buf_move_notify): tell every importer that its mappings
 * are gone, walking the attachment list as the kernel does: newest attachment first
 * (dma_buf_attachments.ts). The exporter must hold the lock. Final: only attachments whose ops
 * have invalidate_mappings are called; v3: every attachment with ops. Static attachments never are.
 */
export function* dma_buf_invalidate_mappings(t: Task, db: DmaBuf): KGen<void> {
  dma_resv_assert_held(t, dma_buf_resv(t, db), 'dma_buf_invalidate_mappings');
  t.trace(packOp(EV_INVALIDATE, db));
  for (const x of dma_buf_attachments(t, db)) {
    if (!attachment_on_list(t, db, x)) continue;
    const ops = importerOps(t.i32[t.arena.attachment(x) + AT_IOPS]!);
    if (ops === undefined) continue;
    if (ops.invalidate_mappings !== undefined) yield* ops.invalidate_mappings(t, x);
    else if (kernelIsV3(t)) t.warn('DMABUF_ATTACH_NO_INVALIDATE', x);
  }
}

/** The v3 name of dma_buf_invalidate_mappings. */
export const dma_buf_move_notify = dma_buf_invalidate_mappings;

/** Pins and live mappings of an attachment (for drivers' own checks and reports). */
export function attachment_counts(t: Task, at: DmaBufAttachment): { pins: number; maps: number } {
  const b = t.arena.attachment(at);
  return { pins: t.i32[b + AT_PINS]!, maps: t.i32[b + AT_MAPS]! };
}
