/**
 * VFIO revoke, un-revoke, device close and remove() (vfio_pci_dma_buf_move / _cleanup), with the
 * knobs that reproduce S1–S4, S7, S8 and S21 (the v5 timed unmap wait).
 *
 * Revoke (final): lock resv; revoked = 1; invalidate importers; wait BOOKKEEP fences; unlock;
 * drop the registration reference and wait for every mapping's unmap (the completion); re-arm;
 * then zap the CPU PTEs of user mmaps (unmap_mapping_range: the in-flight mmap series zaps last
 * in vfio_pci_dma_buf_move, after the importers are gone; knob `zap`). The zap runs under
 * memory_lock (held for write by the move's caller), which the fault handler takes too, so once
 * it ran no PTE comes back while the buffer stays revoked. CPU access is judged from the point
 * the buffer's move returns (revoke_return, after the zap): until then the BAR is enabled.
 * Context: process context, no resv lock held; vfio_pci_dma_buf_move's caller holds
 * vdev->memory_lock for write (vfio_memory.ts), cleanup and remove() take it themselves.
 */
import { dma_buf_get_file_active, dma_buf_resv, type DmaBuf } from '../kernel/dma_buf.js';
import { DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_KERNEL } from '../kernel/dma_resv.js';
import { unmap_mapping_range } from '../kernel/cpu_mapping.js';
import { iommu_redirect_dmabuf } from '../kernel/iommu.js';
import { complete, init_completion, kref_init, kref_put, kref_read, wait_for_completion } from '../kernel/kref.js';
import { device_mark_removed, phys_replace } from '../kernel/memory.js';
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import { priv_load, priv_store } from '../kernel/priv.js';
import { revoke_cleared, revoke_complete, revoke_return } from '../kernel/revoke.js';
import { MARK_BEGIN, MARK_END, PH_FENCE_WAIT, PH_INVALIDATE, PH_REVOKE, PH_UNMAP_WAIT } from '../kernel/phases.js';
import type { Task } from '../kernel/task.js';
import { MAX_SCHEDULE_TIMEOUT, type KGen } from '../kernel/types.js';
import {
  V_COMP, V_DMABUF, V_KREF, V_PAGES, V_REVOKED, vfio_dma_buf_listed, vfio_dma_buf_unlink, vfioKnobs, vfioPages,
} from './vfio_dmabuf.js';
import { vfio_device_dev, vfio_device_dmabufs, vfio_device_knobs, vfio_device_memory_lock, type VfioDevice } from './vfio_device.js';

const THIS_MODULE = moduleRef<KernelApi>('vfio_pci_core');

/** Jiffies the v5 timed unmap wait gave importers before proceeding (1 s at HZ=1000). */
const UNMAP_TIMEOUT = 1000;

/**
 * vfio_pci_dma_buf_move(vdev, revoked): walk the device's list (vdev->dmabufs, oldest first) and
 * move each buffer (moveOne). The caller holds vdev->memory_lock (lockdep_assert_held_write, made
 * by the walk: lock-not-held titled after this function otherwise) and no resv lock.
 */
export function* vfio_pci_dma_buf_move(t: Task, vdev: VfioDevice, revoked: boolean): KGen<void> {
  for (const vp of vfio_device_dmabufs(t, vdev, 'vfio_pci_dma_buf_move')) yield* moveOne(t, vp, revoked);
}

/**
 * One buffer `vp` of the move: nothing when it is no longer on the device's list (released, or
 * unlinked by cleanup: a closed device's buffer stays revoked) or its file is going away
 * (get_file_active fails: the release will unlink it); otherwise, holding the file reference
 * get_file_active took, revoke or un-revoke unless its state is already `revoked`, then drop that
 * reference — still under memory_lock, as the kernel does: when it is the last one (the user
 * closed the fd meanwhile) the release, which takes memory_lock, is deferred to this task's return
 * to user mode (dma_buf_put).
 */
function* moveOne(t: Task, vp: number, revoked: boolean): KGen<void> {
  if (!listedAndGot(t, vp)) return;
  const isRevoked = priv_load(t, vp + V_REVOKED) !== 0;
  if (isRevoked !== revoked) yield* (revoked ? revoke(t, vp) : unrevoke(t, vp));
  yield* putFile(t, vp);
}

/**
 * The list walk's test (memory_lock held): the buffer is on vdev->dmabufs and get_file_active
 * took a reference on its file, which the caller drops with putFile.
 */
function listedAndGot(t: Task, vp: number): boolean {
  return vfio_dma_buf_listed(t, vp) && dma_buf_get_file_active(t, priv_load(t, vp + V_DMABUF) as DmaBuf);
}

/** fput(priv->dmabuf->file): drop the reference listedAndGot took (memory_lock may be held). */
function* putFile(t: Task, vp: number): KGen<void> {
  yield* symbols(t, THIS_MODULE).dma_buf_put(t, priv_load(t, vp + V_DMABUF) as DmaBuf);
}

function* revoke(t: Task, vp: number): KGen<void> {
  t.mark(PH_REVOKE, MARK_BEGIN);
  const k = symbols(t, THIS_MODULE);
  const knobs = vfioKnobs(t, vp);
  const db = priv_load(t, vp + V_DMABUF) as DmaBuf;
  const resv = dma_buf_resv(t, db);
  yield* k.dma_resv_lock(t, resv, null);
  priv_store(t, vp + V_REVOKED, 1);
  yield* invalidateAndWait(t, vp, db);
  if (knobs.nirvana) iommu_redirect_dmabuf(t, db);
  revoke_complete(t, db);
  k.dma_resv_unlock(t, resv);
  t.mark(PH_UNMAP_WAIT, MARK_BEGIN);
  const warned = yield* drain(t, vp);
  t.mark(PH_UNMAP_WAIT, MARK_END);
  if (knobs.zap === 'unmap-mapping-range') unmap_mapping_range(t, db);
  revoke_return(t, db, warned);
  if (knobs.memoryAfterRevoke === 'reuse') resetDeviceMemory(t, vp, db);
  t.mark(PH_REVOKE, MARK_END);
}

/**
 * The part of the move both directions share, with the resv lock held on entry and on return:
 * dma_buf_invalidate_mappings (v3: dma_buf_move_notify — the name this kernel exports; both are
 * weak references of vfio_pci_core), then the fence wait the knobs select (final: BOOKKEEP,
 * uninterruptible, infinite). The S18 knob drops the lock around the invalidate.
 */
function* invalidateAndWait(t: Task, vp: number, db: DmaBuf): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const knobs = vfioKnobs(t, vp);
  const resv = dma_buf_resv(t, db);
  if (knobs.invalidate === 'unlocked') k.dma_resv_unlock(t, resv);
  t.mark(PH_INVALIDATE, MARK_BEGIN);
  const invalidate = k.dma_buf_invalidate_mappings ?? k.dma_buf_move_notify!;
  yield* invalidate(t, db);
  t.mark(PH_INVALIDATE, MARK_END);
  if (knobs.invalidate === 'unlocked') yield* k.dma_resv_lock(t, resv, null);
  if (knobs.revokeWait === 'none') return;
  const usage = knobs.revokeWait === 'kernel' ? DMA_RESV_USAGE_KERNEL : DMA_RESV_USAGE_BOOKKEEP;
  t.mark(PH_FENCE_WAIT, MARK_BEGIN);
  yield* k.dma_resv_wait_timeout(t, resv, usage, false, MAX_SCHEDULE_TIMEOUT);
  t.mark(PH_FENCE_WAIT, MARK_END);
}

/**
 * Drop the registration reference and wait for the unmaps the knobs say to wait for; re-arm.
 * Returns whether the wait WARNed about unmaps still outstanding (waitTimed).
 */
function* drain(t: Task, vp: number): KGen<boolean> {
  const knobs = vfioKnobs(t, vp);
  let warned = false;
  if (kref_put(t, vp + V_KREF)) complete(t, vp + V_COMP);
  if (knobs.unmapWait === 'block') yield* wait_for_completion(t, vp + V_COMP);
  else if (knobs.unmapWait === 'timeout') warned = yield* waitTimed(t, vp);
  if (knobs.rearm === 'after-drain') {
    kref_init(t, vp + V_KREF);
    init_completion(t, vp + V_COMP);
  }
  return warned;
}

/**
 * The v5 design: wait at most UNMAP_TIMEOUT for the unmaps, then carry on regardless — with the
 * WARN v5 printed when the wait timed out (VFIO_UNMAP_TIMEOUT on the buffer; kernel-semantics
 * §4.8: "Timed out waiting for DMABUF unmap, importer has a broken invalidate_mapping()").
 * Returns whether it WARNed (the revoke's return then leaves those mappings to this WARN).
 */
function* waitTimed(t: Task, vp: number): KGen<boolean> {
  const deadline = t.now() + UNMAP_TIMEOUT;
  const k = symbols(t, THIS_MODULE);
  while (kref_read(t, vp + V_KREF) > 0 && t.now() < deadline) yield* k.msleep(t, UNMAP_TIMEOUT / 10);
  if (kref_read(t, vp + V_KREF) === 0) return false;
  t.warn('VFIO_UNMAP_TIMEOUT', priv_load(t, vp + V_DMABUF));
  return true;
}

/**
 * Reset the device (vfio_pci_try_reset_function's pci_try_reset_function after the move): the
 * BAR's memory is reused (new generation) — S3 when mappings are live: phys_replace reports
 * REUSE_BEFORE_UNMAP per live mapping, titled after vfio_pci_try_reset_function. Each page is
 * replaced by a fresh one, or renewed in place when memory ran out, so the buffer keeps a valid
 * page in every slot.
 */
function resetDeviceMemory(t: Task, vp: number, db: DmaBuf): void {
  vfioPages(t, vp).forEach((p, i) => priv_store(t, vp + V_PAGES + i, phys_replace(t, p, db, 'vfio_pci_try_reset_function')));
}

/**
 * Un-revoke (kernel-semantics §4.10): under the resv lock, with `revoked` still set, invalidate
 * the importers and wait for the fences like a revoke does (un-revoke also notifies); then, after
 * the pre-May-2026 re-arm, clear `revoked` in a second lock hold. The S8 knob (clear-first)
 * re-arms only after that, past a preemption point: the window where a re-map meets a zero kref.
 */
function* unrevoke(t: Task, vp: number): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const knobs = vfioKnobs(t, vp);
  const db = priv_load(t, vp + V_DMABUF) as DmaBuf;
  const resv = dma_buf_resv(t, db);
  yield* k.dma_resv_lock(t, resv, null);
  yield* invalidateAndWait(t, vp, db);
  k.dma_resv_unlock(t, resv);
  if (knobs.unrevoke === 'rearm-first') rearm(t, vp);
  yield* k.dma_resv_lock(t, resv, null);
  priv_store(t, vp + V_REVOKED, 0);
  revoke_cleared(t, db);
  k.dma_resv_unlock(t, resv);
  yield* k.cond_resched(t);
  if (knobs.unrevoke === 'clear-first') rearm(t, vp);
}

/** Pre-May-2026 re-arming on un-revoke (the final code re-arms at the end of the revoke drain). */
function rearm(t: Task, vp: number): void {
  if (vfioKnobs(t, vp).rearm === 'after-drain') return;
  kref_init(t, vp + V_KREF);
  init_completion(t, vp + V_COMP);
}

/**
 * vfio_pci_dma_buf_cleanup (device close), under vdev->memory_lock taken here: cleanupLocked.
 * Context: process, no lock held.
 */
export function* vfio_pci_dma_buf_cleanup(t: Task, vdev: VfioDevice): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  yield* k.mutex_lock(t, vfio_device_memory_lock(t, vdev));
  yield* cleanupLocked(t, vdev);
  k.mutex_unlock(t, vfio_device_memory_lock(t, vdev));
}

/**
 * The body of vfio_pci_dma_buf_cleanup, with vdev->memory_lock held (the list walks assert it):
 * final: the idempotent move(true), then each buffer still listed with a live file is unlinked
 * (list_del_init, priv->vdev = NULL), so later moves leave it revoked; one whose file is going
 * away is left to its release. Each step holds a file reference from get_file_active and drops it
 * under memory_lock (a last one defers the release past the unlock: dma_buf_put). The S7 variant
 * repeats the drain inline on a buffer an earlier revoke already drained: kref underflow, then a
 * wait for a completion nobody will fire (a buffer not yet revoked is revoked as by the move).
 */
function* cleanupLocked(t: Task, vdev: VfioDevice): KGen<void> {
  const doubleDrain = vfio_device_knobs(t, vdev).cleanup === 'double-drain';
  for (const vp of vfio_device_dmabufs(t, vdev, 'vfio_pci_dma_buf_cleanup')) {
    if (!doubleDrain || priv_load(t, vp + V_REVOKED) === 0) yield* moveOne(t, vp, true);
    else if (listedAndGot(t, vp)) { yield* drainAgain(t, vp); yield* putFile(t, vp); }
  }
  for (const vp of vfio_device_dmabufs(t, vdev, 'vfio_pci_dma_buf_cleanup')) {
    if (listedAndGot(t, vp)) { vfio_dma_buf_unlink(t, vp); yield* putFile(t, vp); }
  }
}

/** S7: the pre-May-2026 cleanup's inline drain, run again on a buffer a move already drained. */
function* drainAgain(t: Task, vp: number): KGen<void> {
  if (kref_put(t, vp + V_KREF)) complete(t, vp + V_COMP);
  yield* wait_for_completion(t, vp + V_COMP);
}

/**
 * remove() (driver unbind, vfio_pci_core_unregister_device) of device `vdev`, in one hold of
 * vdev->memory_lock: final: the device is closed first (vfio_unregister_group_dev waits for its
 * users; vfio_pci_core_close_device runs vfio_pci_dma_buf_cleanup): revoke every buffer, wait for
 * every unmap, and take the buffers off the device's list, so no later move touches them; S4:
 * unbind at once. The device is marked removed before the lock is dropped, so an export waiting
 * for memory_lock finds it gone (vfio_pci_core_feature_dma_buf). Context: process, no lock held.
 *
 * The buffers on the device's list when remove() took memory_lock (the walk asserts it) are the
 * device's memory: marking the device removed with a mapping of them still live, whichever device
 * made it, WARNs REMOVE_WITH_MAPPINGS once per live mapping (device_mark_removed).
 */
export function* vfio_pci_remove(t: Task, vdev: VfioDevice): KGen<void> {
  const k = symbols(t, THIS_MODULE);
  const m = vfio_device_memory_lock(t, vdev);
  yield* k.mutex_lock(t, m);
  const bufs = vfio_device_dmabufs(t, vdev, 'vfio_pci_remove').map((vp) => priv_load(t, vp + V_DMABUF));
  if (vfio_device_knobs(t, vdev).remove === 'waits-unmap') yield* cleanupLocked(t, vdev);
  device_mark_removed(t, vfio_device_dev(t, vdev), bufs);
  k.mutex_unlock(t, m);
}
