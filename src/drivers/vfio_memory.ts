/**
 * vdev->memory_lock and the callers of vfio_pci_dma_buf_move that hold it (kernel-semantics
 * §4.10): the PCI_COMMAND_MEMORY write of vfio_basic_config_write (and D3hot entry/exit, which
 * do the same), and the FLR / hot-reset paths, which revoke before the reset and un-revoke after
 * it under one hold (vfio_pci_try_reset_function). The kernel takes the rw_semaphore for write on
 * all of these; the model's lock is a mutex of class MEMORY_LOCK_CLASS (vfio_dmabuf.ts), so lockdep
 * records memory_lock → reservation_ww_class_mutex at every move.
 *
 * Context: process context, no resv lock held (the move takes it).
 */
import { dma_buf_file_active, type DmaBuf } from '../kernel/dma_buf.js';
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import { priv_load } from '../kernel/priv.js';
import type { Task } from '../kernel/task.js';
import type { KGen } from '../kernel/types.js';
import {
  vfio_device_dmabufs, vfio_device_knobs, vfio_device_memory_lock, vfio_device_set_memory_bit, vfio_pci_memory_enabled,
  type VfioDevice,
} from './vfio_device.js';
import { V_DMABUF, V_REVOKED } from './vfio_dmabuf.js';
import { vfio_pci_dma_buf_move } from './vfio_revoke.js';

const THIS_MODULE = moduleRef<KernelApi>('vfio_pci_core');

/** down_write(&vdev->memory_lock) of device `vdev` (vfio_pci_zap_and_down_write_memory_lock: the
 *  model has no BAR mmaps; a dma-buf's user mmaps are zapped by its revoke, vfio_revoke.ts). */
export function* vfio_pci_down_write_memory_lock(t: Task, vdev: VfioDevice): KGen<void> {
  yield* symbols(t, THIS_MODULE).mutex_lock(t, vfio_device_memory_lock(t, vdev));
}

/** up_write(&vdev->memory_lock). */
export function vfio_pci_up_write_memory_lock(t: Task, vdev: VfioDevice): void {
  symbols(t, THIS_MODULE).mutex_unlock(t, vfio_device_memory_lock(t, vdev));
}

/**
 * Set or clear PCI_COMMAND_MEMORY of device `vdev` (vfio_basic_config_write): with memory_lock
 * held for write, write the bit (a later export reads it: __vfio_pci_memory_enabled), then
 * clearing revokes every dma-buf on the device's list and setting un-revokes them.
 */
export function* vfio_pci_set_memory_enabled(t: Task, vdev: VfioDevice, enabled: boolean): KGen<void> {
  yield* vfio_pci_down_write_memory_lock(t, vdev);
  vfio_device_set_memory_bit(t, vdev, enabled);
  yield* vfio_pci_dma_buf_move(t, vdev, !enabled);
  vfio_pci_up_write_memory_lock(t, vdev);
}

/**
 * vfio_pci_try_reset_function (FLR) of device `vdev`: with memory_lock held for write, revoke every
 * dma-buf on the device's list, reset the function, and — when PCI_COMMAND_MEMORY is set —
 * un-revoke them (move(false); the knob's 'revoke-again' is S9's typo, move(true)). The model's
 * reset touches no device memory (the BAR keeps its pages). Context: process, no lock held.
 */
export function* vfio_pci_try_reset_function(t: Task, vdev: VfioDevice): KGen<void> {
  yield* vfio_pci_down_write_memory_lock(t, vdev);
  yield* vfio_pci_dma_buf_move(t, vdev, true);
  if (vfio_pci_memory_enabled(t, vdev)) {
    yield* vfio_pci_dma_buf_move(t, vdev, vfio_device_knobs(t, vdev).reset === 'revoke-again');
    resetLeftRevoked(t, vdev);
  }
  vfio_pci_up_write_memory_lock(t, vdev);
}

/**
 * The reset's exit contract (kernel-semantics §7.5 V9), memory_lock held and memory enabled: no
 * buffer on the device's list whose file is live is still revoked. One that is stays so until
 * memory is disabled and enabled again — its importers' re-maps get -ENODEV indefinitely, S9's
 * liveness violation: VFIO_REVOKED_AFTER_RESET for each. A buffer whose file is going away is
 * skipped by the moves, and by this check.
 */
function resetLeftRevoked(t: Task, vdev: VfioDevice): void {
  for (const vp of vfio_device_dmabufs(t, vdev, 'vfio_pci_try_reset_function')) {
    const live = dma_buf_file_active(t, priv_load(t, vp + V_DMABUF) as DmaBuf);
    if (live && priv_load(t, vp + V_REVOKED) !== 0) t.warn('VFIO_REVOKED_AFTER_RESET', vp);
  }
}
