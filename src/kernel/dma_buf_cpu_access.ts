/**
 * CPU access to a dma-buf (drivers/dma-buf/dma-buf.c): dma_buf_begin_cpu_access /
 * dma_buf_end_cpu_access, which bracket a kernel or userspace CPU access so the exporter can
 * flush or invalidate caches and the implicit fences are waited out, and DMA_BUF_IOCTL_SYNC, the
 * userspace entry to them (kernel-semantics §4.6).
 *
 * Locking: the caller must NOT hold the dma-buf's resv lock (§4.3): both calls announce it with
 * might_lock, so calling them with it held is lockdep's "possible recursive locking" (and a held
 * lock the resv lock is ordered before is circular locking), whether or not they then take it.
 * The exporter's begin_cpu_access / end_cpu_access ops run unlocked (§4.2) and may take it.
 * Context: process context; begin may sleep (interruptibly) on the fences.
 */
import { EINVAL } from '../errno/errno.js';
import { DB_OPS } from '../shm/layout.js';
import { dma_buf_check, dma_buf_resv, type DmaBuf } from './dma_buf.js';
import { DMA_BIDIRECTIONAL, DMA_FROM_DEVICE, DMA_TO_DEVICE, exporterOps, type DmaBufOps, type DmaDataDirection } from './dma_buf_ops.js';
import { DMA_BUF_SYNC_READ, DMA_BUF_SYNC_RW, DMA_BUF_SYNC_WRITE } from './dma_buf_sync_file.js';
import { dma_resv_usage_rw } from './dma_resv.js';
import { dma_resv_mutex } from './dma_resv_lock.js';
import { dma_resv_wait_timeout } from './dma_resv_query.js';
import { might_lock } from './lockdep_map.js';
import type { Task } from './task.js';
import { uapiFlagsInvalid } from './uapi_flags.js';
import { MAX_SCHEDULE_TIMEOUT, type KGen } from './types.js';
import { siteId } from './warn.js';

/** include/uapi/linux/dma-buf.h: the start / end bit of struct dma_buf_sync's flags. */
export const DMA_BUF_SYNC_START = 0 << 2;
export const DMA_BUF_SYNC_END = 1 << 2;
export const DMA_BUF_SYNC_VALID_FLAGS_MASK = DMA_BUF_SYNC_RW | DMA_BUF_SYNC_END;

/**
 * The exporter ops of `db` once the entry checks of `fn` passed, else undefined: a NULL dma-buf
 * (`db` < 0) WARNs DMABUF_CPU_ACCESS_NULL titled after `fn`, then — `deref`, the kernel's
 * end_cpu_access, which does not return after its WARN_ON — oopses on the NULL dereference
 * (DMABUF_END_CPU_ACCESS_NULL_DEREF: KernelOops, the task does not go on); a released one is
 * reported by dma_buf_check. Then might_lock of the resv lock.
 */
function enter(t: Task, db: DmaBuf, fn: string, deref = false): DmaBufOps | undefined {
  if (db < 0) {
    t.warn('DMABUF_CPU_ACCESS_NULL', 0, siteId(fn));
    if (deref) t.bug('DMABUF_END_CPU_ACCESS_NULL_DEREF');
    return undefined;
  }
  if (!dma_buf_check(t, db, fn)) return undefined;
  might_lock(t, dma_resv_mutex(t, dma_buf_resv(t, db)));
  return exporterOps(t.i32[t.arena.dmabuf(db) + DB_OPS]!);
}

/**
 * dma_buf_begin_cpu_access: prepare `db` for CPU access in direction `dir`. The exporter's
 * begin_cpu_access op first (when it has one; unlocked), then — only if it returned 0 — the wait
 * for the implicit fences, dma_resv_usage_rw(write) with write = DMA_BIDIRECTIONAL or
 * DMA_TO_DEVICE (a writer waits for readers and writers, a reader for writers), interruptible,
 * without timeout. Returns 0, the op's error, -ERESTARTSYS when a signal interrupted the wait,
 * or -EINVAL for a NULL dma-buf (WARN) or a released one (reported). Resv lock NOT held
 * (might_lock); process context, may sleep.
 */
export function* dma_buf_begin_cpu_access(t: Task, db: DmaBuf, dir: DmaDataDirection): KGen<number> {
  const ops = enter(t, db, 'dma_buf_begin_cpu_access');
  if (ops === undefined) return -EINVAL;
  let ret = ops.begin_cpu_access === undefined ? 0 : yield* ops.begin_cpu_access(t, db, dir);
  if (ret === 0) {
    const write = dir === DMA_BIDIRECTIONAL || dir === DMA_TO_DEVICE;
    const r = yield* dma_resv_wait_timeout(t, dma_buf_resv(t, db), dma_resv_usage_rw(write), true, MAX_SCHEDULE_TIMEOUT);
    ret = r < 0 ? r : 0;
  }
  return ret;
}

/**
 * dma_buf_end_cpu_access: end a CPU access in direction `dir`: the exporter's end_cpu_access op
 * (when it has one; unlocked), whose return is returned; 0 without one. Waits for nothing.
 * A NULL dma-buf WARNs and then oopses (DMABUF_END_CPU_ACCESS_NULL_DEREF: the kernel's bare
 * `WARN_ON(!dmabuf);` falls through to the dereference); a released one is reported, -EINVAL.
 * Resv lock NOT held (might_lock); process context.
 */
export function* dma_buf_end_cpu_access(t: Task, db: DmaBuf, dir: DmaDataDirection): KGen<number> {
  const ops = enter(t, db, 'dma_buf_end_cpu_access', true);
  if (ops === undefined) return -EINVAL;
  return ops.end_cpu_access === undefined ? 0 : yield* ops.end_cpu_access(t, db, dir);
}

/** dma_buf_ioctl's direction for the READ / WRITE bits of a sync: undefined for neither. */
function syncDirection(flags: number): DmaDataDirection | undefined {
  switch (flags & DMA_BUF_SYNC_RW) {
    case DMA_BUF_SYNC_READ: return DMA_FROM_DEVICE;
    case DMA_BUF_SYNC_WRITE: return DMA_TO_DEVICE;
    case DMA_BUF_SYNC_RW: return DMA_BIDIRECTIONAL;
    default: return undefined;
  }
}

/**
 * DMA_BUF_IOCTL_SYNC (dma_buf_ioctl) with struct dma_buf_sync's `flags` (a __u64): -EINVAL for a
 * bit outside DMA_BUF_SYNC_VALID_FLAGS_MASK — any of the 64 — or for neither READ nor WRITE;
 * else READ → DMA_FROM_DEVICE, WRITE → DMA_TO_DEVICE, RW → DMA_BIDIRECTIONAL, and
 * DMA_BUF_SYNC_END ends the access (dma_buf_end_cpu_access) while DMA_BUF_SYNC_START begins it
 * (dma_buf_begin_cpu_access), whose return is returned. The kernel first copies the struct from
 * the user's pointer (copy_from_user: -EFAULT for a bad one); the model has no user address space
 * for a pointer to be bad in — its scenarios pass the flags themselves —, so that -EFAULT is out
 * of scope. Process context (an ioctl on the dma-buf's fd), resv lock not held.
 */
export function* dma_buf_ioctl_sync(t: Task, db: DmaBuf, flags: number): KGen<number> {
  if (uapiFlagsInvalid(flags, DMA_BUF_SYNC_VALID_FLAGS_MASK)) return -EINVAL;
  const dir = syncDirection(flags);
  if (dir === undefined) return -EINVAL;
  if ((flags & DMA_BUF_SYNC_END) !== 0) return yield* dma_buf_end_cpu_access(t, db, dir);
  return yield* dma_buf_begin_cpu_access(t, db, dir);
}
