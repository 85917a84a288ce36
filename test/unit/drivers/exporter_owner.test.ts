// Each exporting driver names its module as the owner of the dma-bufs it exports (the kernel's
// DEFINE_DMA_BUF_EXPORT_INFO sets exp_info->owner = THIS_MODULE): while a buffer lives its module
// holds one more reference and cannot be deleted (-EWOULDBLOCK); the buffer's release gives it back.
import { describe, expect, it } from 'vitest';
import { EAGAIN } from '../../../src/errno/errno.js';
import { gpu_exporter_create } from '../../../src/drivers/gpu_exporter.js';
import { GPU_EXPORTER, VFIO_PCI_CORE } from '../../../src/drivers/modules.js';
import { vfio_pci_dma_buf_export } from '../../../src/drivers/vfio_dmabuf.js';
import { VFIO_FINAL } from '../../../src/drivers/vfio_knobs.js';
import { dma_buf_put, type DmaBuf } from '../../../src/kernel/dma_buf.js';
import type { ModuleDef } from '../../../src/kernel/module/define.js';
import { kernelSymbolsFor } from '../../../src/kernel/module/dmabuf_exports.js';
import { linkModules } from '../../../src/kernel/module/link.js';
import { load_module, type LoadedModule } from '../../../src/kernel/module/load.js';
import { sys_delete_module, trial_module_refcount } from '../../../src/kernel/module/module_ref.js';
import type { Task } from '../../../src/kernel/task.js';
import { bootTask } from '../kernel/module/support.js';
import { drive } from '../../support/drive.js';

/** A task whose trial loaded `mod` alone. */
function taskWith(mod: ModuleDef): Task {
  const loaded = load_module(mod, kernelSymbolsFor('final')).symbols as LoadedModule;
  return bootTask(linkModules([loaded]));
}


const EXPORTERS: readonly [string, ModuleDef, (t: Task) => DmaBuf][] = [
  ['vfio_pci_core', VFIO_PCI_CORE, (t) => (vfio_pci_dma_buf_export(t, 1, VFIO_FINAL) as { db: DmaBuf }).db],
  ['xe', GPU_EXPORTER, (t) => (gpu_exporter_create(t, 1) as { db: DmaBuf }).db],
];

describe('exporting drivers own their dma-bufs', () => {
  it.each(EXPORTERS)('%s: a live buffer holds the module; after its last put the module can be deleted', (name, mod, exportOne) => {
    const t = taskWith(mod);
    const db = exportOne(t);
    expect([trial_module_refcount(t, name), sys_delete_module(t, name)]).toEqual([1, -EAGAIN]);
    drive(dma_buf_put(t, db));
    expect([trial_module_refcount(t, name), sys_delete_module(t, name)]).toEqual([0, 0]);
  });
});
