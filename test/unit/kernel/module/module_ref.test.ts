// Module references at run time (kernel/module/main.c __symbol_get / __symbol_put, ref_module,
// delete_module): a __symbol_get holds its owner until __symbol_put, and a module whose exports
// other loaded modules linked cannot be deleted before them — -EWOULDBLOCK (== -EAGAIN) both ways.
import { describe, expect, it } from 'vitest';
import { EAGAIN, ENOENT } from '../../../../src/errno/errno.js';
import { IOMMUFD, VFIO_PCI_CORE } from '../../../../src/drivers/modules.js';
import { kernelSymbolsFor } from '../../../../src/kernel/module/dmabuf_exports.js';
import type { ModuleDef } from '../../../../src/kernel/module/define.js';
import { linkModules } from '../../../../src/kernel/module/link.js';
import { load_module, type LoadedModule } from '../../../../src/kernel/module/load.js';
import { sys_delete_module, trial_module_refcount } from '../../../../src/kernel/module/module_ref.js';
import { __symbol_get, __symbol_put } from '../../../../src/kernel/module/symbol_get.js';
import exporter from '../../../fixtures/modules/exporter.js';
import m3 from '../../../fixtures/modules/m3_ib_uverbs.js';
import kvm from '../../../fixtures/modules/m5_kvm.js';
import { bootTask, dmaBufTable } from './support.js';

/** A task whose trial loaded `mods` into `table`. */
function taskWith(table: ReturnType<typeof dmaBufTable>, ...mods: ModuleDef[]) {
  const loaded = mods.map((m) => load_module(m, table).symbols) as LoadedModule[];
  const t = bootTask();
  t.symtabs = linkModules(loaded);
  return t;
}

const MAP = 'vfio_pci_dma_buf_iommufd_map';

describe('module references at run time', () => {
  it('__symbol_get holds the exporting module: sys_delete_module fails -EWOULDBLOCK until __symbol_put, then its exports are gone', () => {
    const t = taskWith(kernelSymbolsFor('final'), VFIO_PCI_CORE, IOMMUFD);
    expect(trial_module_refcount(t, 'vfio_pci_core')).toBe(0);
    expect(__symbol_get(t, MAP)).not.toBeNull();
    expect(trial_module_refcount(t, 'vfio_pci_core')).toBe(1);
    expect(sys_delete_module(t, 'vfio_pci_core')).toBe(-EAGAIN);
    __symbol_put(t, MAP);
    expect(trial_module_refcount(t, 'vfio_pci_core')).toBe(0);
    expect(sys_delete_module(t, 'vfio_pci_core')).toBe(0);
    expect(__symbol_get(t, MAP)).toBeNull();
    expect([sys_delete_module(t, 'vfio_pci_core'), trial_module_refcount(t, 'vfio_pci_core')]).toEqual([-ENOENT, -ENOENT]);
  });

  it('a core export holds no module; a module the trial did not load is -ENOENT', () => {
    const t = taskWith(kernelSymbolsFor('final'), IOMMUFD);
    expect(__symbol_get(t, 'dma_resv_wait_timeout')).not.toBeNull();
    expect(trial_module_refcount(t, 'iommufd')).toBe(0);
    expect(sys_delete_module(t, 'vfio_pci_core')).toBe(-ENOENT);
  });

  it('a module others linked is refused until its users are deleted first', () => {
    const t = taskWith(dmaBufTable(), exporter, m3, kvm);
    expect(trial_module_refcount(t, 'dmabuf_test_exporter')).toBe(2);
    expect(sys_delete_module(t, 'dmabuf_test_exporter')).toBe(-EAGAIN);
    expect(sys_delete_module(t, 'ib_uverbs')).toBe(0);
    expect(sys_delete_module(t, 'dmabuf_test_exporter')).toBe(-EAGAIN);
    expect(sys_delete_module(t, 'kvm')).toBe(0);
    expect(trial_module_refcount(t, 'dmabuf_test_exporter')).toBe(0);
    expect(sys_delete_module(t, 'dmabuf_test_exporter')).toBe(0);
  });
});
