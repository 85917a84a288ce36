/**
 * The dma-buf object (drivers/dma-buf/dma-buf.c): export with ops validation, file references and
 * release. Attachments are in dma_buf_attach.ts, pin/map/invalidate in dma_buf_map.ts.
 *
 * Handles are arena ids; -errno results are negative numbers, so `ret < 0` tests for an error
 * pointer like IS_ERR().
 */
import { EINVAL, ENOENT } from '../errno/errno.js';
import {
  C_KERNEL, C_NEXT_DMABUF, DBF_LIVE, DBF_OWN_RESV, DBF_RELEASED,
  DB_FILEREFS, DB_FLAGS, DB_OPS, DB_OWNER, DB_PRIV, DB_RESV, DB_SIZE, DB_VMAP_COUNT, KERNEL_V3,
} from '../shm/layout.js';
import { allocRow } from './alloc.js';
import { exporterOps } from './dma_buf_ops.js';
import { dma_buf_poll_release } from './dma_buf_poll_slot.js';
import { dma_resv_fini, dma_resv_init } from './dma_resv.js';
import { refcount_dec, refcount_inc, refcount_inc_not_zero_old, refcount_warn } from './kref.js';
import { module_owner_id, module_put_id, try_module_get_id } from './module/module_ref.js';
import { ModuleNotLoaded, type ModuleRef } from './module/this_module.js';
import { siteId } from './warn.js';
import type { Task } from './task.js';
import { inKernelSection, task_work_add } from './task_work.js';
import { linkedAttachments } from './dma_buf_attachments.js';
import { might_sleep } from './might_sleep.js';
import type { KGen, Resv } from './types.js';

export type DmaBuf = number & { readonly __brand: 'dma_buf' };
export type DmaBufAttachment = number & { readonly __brand: 'dma_buf_attachment' };

/** struct dma_buf_export_info (subset). */
export interface DmaBufExportInfo {
  /** Registered exporter ops id (registerDmaBufOps); 0 stands for NULL ops (no table). */
  readonly ops: number;
  /** Size in pages. */
  readonly size: number;
  /** The exporter's private word; null stands for a NULL `exp_info->priv` (0 is a valid word). */
  readonly priv: number | null;
  /** An exporter-supplied reservation object; default: a new embedded one. */
  readonly resv?: Resv;
  /**
   * exp_info->owner: the exporting module, its THIS_MODULE (what DEFINE_DMA_BUF_EXPORT_INFO
   * sets), which the buffer holds a reference on for its life. Absent or null: no module (code
   * built into the kernel; `try_module_get(NULL)` takes nothing).
   */
  readonly owner?: ModuleRef<object> | null;
}

/** Whether this trial runs the v3 posting's semantics rather than the merged series. */
export function kernelIsV3(t: Task): boolean {
  return t.i32[t.ctl + C_KERNEL] === KERNEL_V3;
}

/**
 * dma_buf_export: a new dma-buf with one file reference, holding a reference on its exporting
 * module (`info.owner`) until its release. Refused with -EINVAL by dma-buf.c's two WARN_ONs, in
 * its order: no priv, no ops (`info.ops` 0), or ops without map_dma_buf, unmap_dma_buf or release
 * (DMABUF_EXPORT_INVALID); ops with only one of pin/unpin (DMABUF_EXPORT_PIN_UNPIN). Each finding's
 * object is the ops id, so each bad ops table is its own finding and an export with one already
 * reported is its repeat. -ENOENT when no reference can be had on the owner — deleted, or its
 * count at 0 (the kernel's going module) —, as dma-buf.c's
 * `if (!try_module_get(exp_info->owner)) return ERR_PTR(-ENOENT);`. Throws ModuleNotLoaded
 * (ERR_SCENARIO) for an owner the scenario did not load. Any task; resv lock not held.
 */
export function dma_buf_export(t: Task, info: DmaBufExportInfo): DmaBuf | number {
  const ops = info.ops === 0 ? undefined : exporterOps(info.ops);
  if (info.priv === null || ops === undefined || ops.map_dma_buf === undefined || ops.unmap_dma_buf === undefined || ops.release === undefined) {
    t.warn('DMABUF_EXPORT_INVALID', info.ops);
    return -EINVAL;
  }
  if ((ops.pin === undefined) !== (ops.unpin === undefined)) { t.warn('DMABUF_EXPORT_PIN_UNPIN', info.ops); return -EINVAL; }
  const owner = exportOwner(t, info.owner);
  if (!try_module_get_id(t, owner)) return -ENOENT;
  const a = t.arena;
  const id = allocRow(a, C_NEXT_DMABUF, a.geometry.dmabufs, 'dma_buf') as DmaBuf;
  const d = a.dmabuf(id);
  const h = t.i32;
  h[d + DB_RESV] = info.resv ?? dma_resv_init(t);
  h[d + DB_SIZE] = info.size;
  h[d + DB_OPS] = info.ops;
  h[d + DB_PRIV] = info.priv;
  h[d + DB_FILEREFS] = 1;
  h[d + DB_VMAP_COUNT] = 0;
  h[d + DB_OWNER] = owner;
  Atomics.store(h, d + DB_FLAGS, DBF_LIVE | (info.resv === undefined ? DBF_OWN_RESV : 0));
  return id;
}

/** The module id (module_ref.ts module_owner_id) of exporting module `owner`; 0 for none. */
function exportOwner(t: Task, owner: ModuleRef<object> | null | undefined): number {
  if (owner === undefined || owner === null) return 0;
  const id = module_owner_id(t, owner.slot);
  if (id < 0) throw new ModuleNotLoaded(owner.name, t.name);
  return id;
}

/** dmabuf->resv. */
export function dma_buf_resv(t: Task, db: DmaBuf): Resv {
  return t.i32[t.arena.dmabuf(db) + DB_RESV]! as Resv;
}

/** dmabuf->priv (the exporter's word). */
export function dma_buf_priv(t: Task, db: DmaBuf): number {
  return t.i32[t.arena.dmabuf(db) + DB_PRIV]!;
}

/** dmabuf->size in pages. */
export function dma_buf_size(t: Task, db: DmaBuf): number {
  return t.i32[t.arena.dmabuf(db) + DB_SIZE]!;
}

/** dma_buf_is_dynamic: the exporter has a pin op (it may move the buffer). */
export function dma_buf_is_dynamic(t: Task, db: DmaBuf): boolean {
  return exporterOps(t.i32[t.arena.dmabuf(db) + DB_OPS]!).pin !== undefined;
}

/**
 * dma_buf_get: take a file reference (get_file) through a handle the caller kept. Returns `db`.
 * Any task, no locks needed. The WARNs are __refcount_add's (`if (!old) refcount_warn_saturate(r,
 * REFCOUNT_ADD_UAF); else if (old < 0 || old + i < 0) refcount_warn_saturate(r,
 * REFCOUNT_ADD_OVF);`): on a count at 0 — the last reference is gone, the buffer released or being
 * released — the caller kept the handle without a reference: "addition on 0; use-after-free"
 * (DMABUF_GET_RELEASED, at every such get); on a count an earlier misuse saturated (a put with
 * no reference left, or a get on 0) "saturated; leaking memory" (DMABUF_GET_SATURATED, once a
 * trial). Either way the count stays saturated: the release is not undone and the buffer does
 * not come back to life.
 */
export function dma_buf_get(t: Task, db: DmaBuf): DmaBuf {
  const old = refcount_inc(t, t.arena.dmabuf(db) + DB_FILEREFS);
  if (old === 0) t.warn('DMABUF_GET_RELEASED', db);
  else if (old < 0) refcount_warn(t, 'DMABUF_GET_SATURATED', db);
  return db;
}

/**
 * Whether the dma-buf's file is still live (it holds a file reference): what get_file_active
 * tests (dma_buf_get_file_active takes the reference too). False once the last reference is gone
 * (release queued, running or done), with no finding. Any task.
 */
export function dma_buf_file_active(t: Task, db: DmaBuf): boolean {
  return Atomics.load(t.i32, t.arena.dmabuf(db) + DB_FILEREFS) > 0;
}

/**
 * get_file_active(&dmabuf->file): take a file reference only while the file is live — for an
 * exporter walking its own list, whose pointers hold none. True when it took one (the caller
 * drops it with dma_buf_put); false, taking nothing and with no finding, once the last reference
 * is gone (release queued, running or done) or on a count an earlier misuse saturated. Any task,
 * atomic (refcount_inc_not_zero), no locks needed.
 */
export function dma_buf_get_file_active(t: Task, db: DmaBuf): boolean {
  return refcount_inc_not_zero_old(t, t.arena.dmabuf(db) + DB_FILEREFS) > 0;
}

/**
 * Check a dma-buf handle at the start of `fn`: true while the buffer holds a file reference;
 * false after reporting a use after its last reference was dropped (DMABUF_USE_AFTER_FREE, titled
 * after `fn`): KASAN's slab-use-after-free on the freed struct dma_buf. The caller then leaves the
 * buffer alone and fails the call.
 */
export function dma_buf_check(t: Task, db: DmaBuf, fn: string): boolean {
  const d = t.arena.dmabuf(db);
  const released = (Atomics.load(t.i32, d + DB_FLAGS) & DBF_RELEASED) !== 0;
  if (!released && Atomics.load(t.i32, d + DB_FILEREFS) > 0) return true;
  t.warn('DMABUF_USE_AFTER_FREE', db, siteId(fn));
  return false;
}

/**
 * dma_buf_fd: install the dma-buf's file in a new file descriptor (`_flags`: get_unused_fd_flags',
 * O_CLOEXEC; not checked). The fd takes over the caller's file reference (fd_install consumes it:
 * the count does not change, and closing the fd is the dma_buf_put of that reference). The model
 * has no fd table: the fd is the buffer's handle, so dma_buf_get of the returned fd is a get of
 * the buffer. Returns the fd (>= 0); -EINVAL for a NULL dma-buf (`db` < 0), as the kernel's
 * `if (!dmabuf || !dmabuf->file) return -EINVAL;`, or for a released one (reported:
 * DMABUF_USE_AFTER_FREE titled after dma_buf_fd). Resv lock NOT held; any task.
 */
export function dma_buf_fd(t: Task, db: DmaBuf, _flags: number): number {
  if (db < 0 || !dma_buf_check(t, db, 'dma_buf_fd')) return -EINVAL;
  return db;
}

/**
 * dma_buf_put: drop a file reference (fput). The last one releases the buffer as the kernel's
 * fput does, through task work on the putting task (task_work.ts, TWA_RESUME): the release runs
 * in that task at its next scheduling point at which it holds no lock (sleeping or spin), is
 * preemptible and is in no signalling section, or at its exit — never under a lock it held at the
 * put, so dropping the last reference under a lock the release path takes (vdev->memory_lock) is
 * no deadlock, nor in atomic context, where the release could not sleep. A put made outside every
 * lock and signalling section, preemptible, releases at once, in the put — the model's return to
 * user mode comes right there —, which keeps the scheduling points of such puts where they always
 * were. Between the put and the release the count is 0: a get there is refcount_t's "addition on
 * 0" (DMABUF_GET_RELEASED), dma_buf_file_active is false and any use is reported (dma_buf_check)
 * — the buffer's memory is still allocated, as the kernel's is until __fput, but no reference
 * holds it —, while the exporter's module stays referenced
 * (module_put comes with the release). Context: the putting task's own code (a put in hardirq
 * context is dma_buf_put_deferred's). A put with no reference left (after the release, or on a
 * saturated count) WARNs DMABUF_PUT_UNDERFLOW once a trial and saturates the count (refcount_t):
 * it never releases again.
 */
export function* dma_buf_put(t: Task, db: DmaBuf): KGen<void> {
  if (!putFileRef(t, db)) return;
  if (inKernelSection(t)) task_work_add(t, (task) => dma_buf_release(task, db));
  else yield* dma_buf_release(t, db);
}

/**
 * fput(dmabuf->file) where the release cannot run in place — a fence callback (dma_buf_poll_cb),
 * under the fence's spinlock, in process context or in hardirq context (an interrupt handler's
 * signal): dma_buf_put's drop, whose release, when this was the last reference, always goes to
 * the calling task's task work — fput's TWA_RESUME path, or in hardirq its delayed_fput, whose
 * kworker that task work stands in for (task_work.ts) — and runs in process context at the task's
 * next return to user mode or its exit. The same WARN as dma_buf_put on a put with no reference
 * left. Context: any, also atomic; never sleeps, no scheduling point.
 */
export function dma_buf_put_deferred(t: Task, db: DmaBuf): void {
  if (putFileRef(t, db)) task_work_add(t, (task) => dma_buf_release(task, db));
}

/** Drop one file reference: true when it was the last (the caller releases); WARNs underflow. */
function putFileRef(t: Task, db: DmaBuf): boolean {
  const old = refcount_dec(t, t.arena.dmabuf(db) + DB_FILEREFS);
  if (old <= 0) refcount_warn(t, 'DMABUF_PUT_UNDERFLOW', db);
  return old === 1;
}

/**
 * dma_buf_release (__fput → dma_buf_file_release and the dentry's release), for a buffer whose
 * last file reference is gone, in dma-buf.c's order after __fput's might_sleep (in atomic context
 * SLEEP_IN_ATOMIC titled after __fput: only an exit holding a spinlock runs it so): BUG when
 * still vmapped
 * (DMABUF_RELEASE_VMAPPED: the task stops there), BUG when a dma_buf_poll callback is still armed
 * (DMABUF_RELEASE_POLL_ACTIVE; else its callback nodes are freed), the exporter's release op
 * (unlocked; it may sleep), for an embedded resv dma_resv_fini, then the WARN when attachments
 * remain — checked only now, so an attachment unlinked while the release op slept is none
 * (DMABUF_RELEASE_ATTACHED) — and `module_put(dmabuf->owner)` (only now may the exporter's module
 * go: its release op has run); the buffer is then freed (DBF_RELEASED: any later use is reported,
 * see dma_buf_check). Context: the task that dropped the last reference, holding no lock it held
 * then (dma_buf_put).
 */
function* dma_buf_release(t: Task, db: DmaBuf): KGen<void> {
  might_sleep(t, '__fput', db);
  const d = t.arena.dmabuf(db);
  if (t.i32[d + DB_VMAP_COUNT]! > 0) t.bug('DMABUF_RELEASE_VMAPPED', db);
  dma_buf_poll_release(t, db);
  yield* exporterOps(t.i32[d + DB_OPS]!).release!(t, db);
  if ((t.i32[d + DB_FLAGS]! & DBF_OWN_RESV) !== 0) dma_resv_fini(t, dma_buf_resv(t, db));
  if (linkedAttachments(t, db) > 0) t.warn('DMABUF_RELEASE_ATTACHED', db);
  module_put_id(t, t.i32[d + DB_OWNER]!);
  Atomics.store(t.i32, d + DB_FLAGS, DBF_RELEASED);
}

export { linkedAttachments } from './dma_buf_attachments.js';
