/**
 * vdev->memory_lock and the callers of vfio_pci_dma_buf_move that hold it (kernel-semantics
 * §4.10): the PCI_COMMAND_MEMORY write of vfio_basic_config_write (and D3hot entry/exit, which
 * do the same), and the FLR / hot-reset paths, which revoke before the reset and un-revoke after
 * it under one hold. The kernel takes the rw_semaphore for write on all of these; the model's
 * lock is a mutex of class MEMORY_LOCK_CLASS (vfio_dmabuf.ts), so lockdep records
 * memory_lock → reservation_ww_class_mutex at every move.
 *
 * Context: process context, no resv lock held (the move takes it).
 */
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import type { Task } from '../kernel/task.js';
import type { KGen } from '../kernel/types.js';
import { vfio_device_memory_lock, vfio_device_set_memory_bit, type VfioDevice } from './vfio_device.js';
import { vfio_pci_dma_buf_move } from './vfio_revoke.js';

const THIS_MODULE = moduleRef<KernelApi>('vfio_pci_core');

/** down_write(&vdev->memory_lock) of device `vdev`
 *  (vfio_pci_zap_and_down_write_memory_lock: no CPU mappings to zap in the model). */
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
