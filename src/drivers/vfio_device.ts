/**
 * The VFIO PCI device (struct vfio_pci_core_device), the parts its dma-buf export uses
 * (kernel-semantics §4.10): vdev->memory_lock, the memory enable (PCI_COMMAND_MEMORY in the virtual
 * config space, __vfio_pci_memory_enabled), the device the BAR belongs to, the exporter's knobs,
 * and vdev->dmabufs, the list of every buffer the device exported and has not unlinked.
 *
 * Private state (driver-private words): D_MEMLOCK, D_MEM_ENABLED, D_DEV, D_KNOBS, and D_HEAD, the
 * list's first entry; each buffer's entry links the next one in its own words (V_LINK). The list
 * and the memory enable change only under memory_lock, except at setup, before any actor runs.
 *
 * vdev->memory_lock is an rw_semaphore in the kernel; the model has none, so it is a mutex with
 * its own lockdep class (MEMORY_LOCK_CLASS). Every path that takes it in the model takes it for
 * write in the kernel too (the move's callers, cleanup, the export's linking, the release), so
 * one mode loses no ordering.
 */
import type { KernelApi } from '../kernel/module/api.js';
import { moduleRef, symbols } from '../kernel/module/this_module.js';
import { device_add } from '../kernel/memory.js';
import { lockdep_assert_held } from '../kernel/lockdep_hooks.js';
import { GFP_KERNEL } from '../kernel/gfp.js';
import { kzalloc_words, priv_load, priv_store } from '../kernel/priv.js';
import type { Task } from '../kernel/task.js';
import type { Mutex } from '../kernel/types.js';
import { packKnobs, unpackKnobs, type VfioKnobs } from './vfio_knobs.js';

const D_MEMLOCK = 0;
const D_MEM_ENABLED = 1;
const D_DEV = 2;
const D_KNOBS = 3;
const D_HEAD = 4;
/** Private words of a VFIO device. */
export const VFIO_DEVICE_WORDS = 5;
/**
 * The word of a buffer's private state (vfio_dmabuf.ts) that is its list entry (dmabufs_elm): 0
 * when on no list (never linked, or list_del_init'ed), LIST_END when last, else the next
 * buffer's handle + 1. D_HEAD holds the first buffer's handle + 1, or LIST_END when empty.
 */
export const V_LINK = 6;
const LIST_END = -1;

const THIS_MODULE = moduleRef<KernelApi>('vfio_pci_core');

/** A VFIO device's handle (its private words), typed apart from a buffer's handle. */
export type VfioDevice = number & { readonly __vfioDevice: true };

/** The lockdep class of vdev->memory_lock, as lockdep names it in reports. */
export const MEMORY_LOCK_CLASS = '&vdev->memory_lock';

/**
 * vfio_pci_core_register_device, as far as the export needs it: a new bound PCI device with its
 * memory enabled, an empty dma-buf list and the exporter's `knobs`. Context: setup or any task.
 * Returns the device's handle (vdev).
 */
export function vfio_pci_core_init_device(t: Task, knobs: VfioKnobs): VfioDevice {
  const vdev = kzalloc_words(t, VFIO_DEVICE_WORDS, GFP_KERNEL, vfio_pci_core_init_device) as VfioDevice;
  priv_store(t, vdev + D_MEMLOCK, symbols(t, THIS_MODULE).mutex_init(t, MEMORY_LOCK_CLASS));
  priv_store(t, vdev + D_MEM_ENABLED, 1);
  priv_store(t, vdev + D_DEV, device_add(t));
  priv_store(t, vdev + D_KNOBS, packKnobs(knobs));
  priv_store(t, vdev + D_HEAD, LIST_END);
  return vdev;
}

/** vdev->memory_lock. */
export function vfio_device_memory_lock(t: Task, vdev: VfioDevice): Mutex {
  return priv_load(t, vdev + D_MEMLOCK) as Mutex;
}

/** The PCI device whose BAR the device's buffers export. */
export function vfio_device_dev(t: Task, vdev: VfioDevice): number {
  return priv_load(t, vdev + D_DEV);
}

export function vfio_device_knobs(t: Task, vdev: VfioDevice): VfioKnobs {
  return unpackKnobs(priv_load(t, vdev + D_KNOBS));
}

/** __vfio_pci_memory_enabled: PCI_COMMAND_MEMORY is set. Stable while memory_lock is held. */
export function vfio_pci_memory_enabled(t: Task, vdev: VfioDevice): boolean {
  return priv_load(t, vdev + D_MEM_ENABLED) !== 0;
}

/** Write PCI_COMMAND_MEMORY. The caller holds memory_lock (or runs the setup). */
export function vfio_device_set_memory_bit(t: Task, vdev: VfioDevice, enabled: boolean): void {
  priv_store(t, vdev + D_MEM_ENABLED, enabled ? 1 : 0);
}

/**
 * list_for_each_entry over vdev->dmabufs: the buffers on the list, oldest first (list_add_tail
 * order). Locking: the caller holds vdev->memory_lock, which every change of the list holds (the
 * export's link, the release's and cleanup's unlink), so the walk sees the whole list; one made
 * without it can meet an entry a release is unlinking and stop short. lockdep_assert_held:
 * lock-not-held titled after `caller` when the lock is not held (the walk is still made).
 */
export function vfio_device_dmabufs(t: Task, vdev: VfioDevice, caller: string): number[] {
  lockdep_assert_held(t, vfio_device_memory_lock(t, vdev), caller);
  return listEntries(t, vdev);
}

/** The list's entries, for its writers: memory_lock held, or setup (no other task runs). */
function listEntries(t: Task, vdev: VfioDevice): number[] {
  const out: number[] = [];
  for (let link = priv_load(t, vdev + D_HEAD); link !== LIST_END && link !== 0; link = priv_load(t, link - 1 + V_LINK)) out.push(link - 1);
  return out;
}

/** !list_empty(&priv->dmabufs_elm): buffer `vp` is on its device's list (one word: safe to read
 *  without memory_lock, as the release reads priv->vdev). */
export function vfio_dma_buf_listed(t: Task, vp: number): boolean {
  return priv_load(t, vp + V_LINK) !== 0;
}

/** list_add_tail(&priv->dmabufs_elm, &vdev->dmabufs) for buffer `vp`. memory_lock held (or
 *  setup). */
export function vfio_device_list_add(t: Task, vdev: VfioDevice, vp: number): void {
  const list = listEntries(t, vdev);
  priv_store(t, vp + V_LINK, LIST_END);
  priv_store(t, list.length === 0 ? vdev + D_HEAD : list.at(-1)! + V_LINK, vp + 1);
}

/** list_del_init of buffer `vp` (nothing when it is not on the list). memory_lock held. */
export function vfio_device_list_del(t: Task, vdev: VfioDevice, vp: number): void {
  let prev = vdev + D_HEAD;
  for (const x of listEntries(t, vdev)) {
    if (x === vp) { priv_store(t, prev, priv_load(t, vp + V_LINK)); priv_store(t, vp + V_LINK, 0); return; }
    prev = x + V_LINK;
  }
}
