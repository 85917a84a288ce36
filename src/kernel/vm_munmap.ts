/**
 * munmap(2) of a user mapping of a dma-buf (mm/mmap.c vm_munmap → do_vmi_munmap): the PTEs
 * zapped (unmap_region), the vma unlinked from the buffer's file (unlink_file_vma), then
 * remove_vma — vm_ops->close, if any, and fput(vma->vm_file), the file reference dma_buf_mmap's
 * vma_set_file took. So a user that mmaps, closes its fd and keeps touching the mapping keeps the
 * buffer alive: the exporter's release runs only after the last munmap (or the last other put).
 *
 * The model's vma is a handle (cpu_mapping.ts), not an address range: vm_munmap removes the whole
 * vma, and the row stays as a tombstone (VM_UNMAPPED) that is never reused within the trial.
 * vm_ops->close is not modelled: the exporters modelled install a fault handler only (VFIO's
 * dma-buf mmap RFC's vm_operations_struct has `.fault` alone). An actor's exit does not unmap
 * (no exit_mmap), as it does not close its fds: a vma still mapped at trial end is a leak
 * (check/leaks.ts LEAK_VMA), like a file reference never put.
 */
import { HarnessError } from '../errno/errors.js';
import { dma_buf_put, type DmaBuf } from './dma_buf.js';
import { vma_check_owner, vma_dmabuf, vma_mmap_failed, vma_unmap, vma_unmapped, type Vma } from './cpu_mapping.js';
import type { Task } from './task.js';
import type { KGen } from './types.js';

/**
 * vm_munmap of `vma` by its owner: its PTEs cleared, the vma removed (a later CPU access through
 * it is -EFAULT with no finding, cpu_access; the buffer's zap and revoke stamps no longer see it),
 * then its file reference dropped as close(2)'s is (dma_buf_put: the deferred fput — the release
 * runs here when this was the last reference and the task holds no lock, else at its return to
 * user mode, task_work.ts). Returns 0.
 *
 * Throws ERR_SCENARIO for a vma another actor created or none did (vma_check_owner), one already
 * unmapped, or one that maps no dma-buf (never mapped, or its mmap failed: the kernel freed it,
 * cpu_mapping.ts vma_mmap_unwind): the kernel's munmap takes an address, and a range no vma of the
 * caller's mm covers is unmapped already (0, nothing done) — a model handle used so names no vma,
 * the scenario's mistake. Context: process, the vma's owner, no locks needed; a scheduling point
 * only when the put releases the buffer.
 */
export function* vm_munmap(t: Task, vma: Vma): KGen<number> {
  vma_check_owner(t, vma, 'vm_munmap');
  if (vma_unmapped(t, vma)) throw new HarnessError('ERR_SCENARIO', `${t.name}: vm_munmap of vma ${vma}, unmapped already`);
  const db = vma_dmabuf(t, vma);
  if (db < 0) throw new HarnessError('ERR_SCENARIO', `${t.name}: vm_munmap of vma ${vma}, ${vma_mmap_failed(t, vma) ? 'whose mmap failed (the kernel freed it)' : 'never mapped'}`);
  vma_unmap(t, vma);
  yield* dma_buf_put(t, db as DmaBuf);
  return 0;
}
