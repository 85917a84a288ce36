import { describe, expect, it } from 'vitest';
import { IOMMUFD, VFIO_PCI_CORE } from '../../../../src/drivers/modules.js';
import { vfio_pci_dma_buf_iommufd_map } from '../../../../src/drivers/vfio_iommufd.js';
import { dma_resv_wait_timeout } from '../../../../src/kernel/dma_resv_query.js';
import { kernelSymbolsFor } from '../../../../src/kernel/module/dmabuf_exports.js';
import { linkModules } from '../../../../src/kernel/module/link.js';
import { load_module, type LoadedModule } from '../../../../src/kernel/module/load.js';
import { __symbol_get, __symbol_put } from '../../../../src/kernel/module/symbol_get.js';
import { bootTask } from './support.js';

/** A task whose trial loaded `mods` (final kernel). */
function taskWith(...mods: typeof VFIO_PCI_CORE[]) {
  const table = kernelSymbolsFor('final');
  const loaded = mods.map((m) => load_module(m, table).symbols) as LoadedModule[];
  return bootTask(linkModules(loaded));
}

describe('__symbol_get / __symbol_put at run time (kernel/module/main.c)', () => {
  it('finds a loaded module\'s GPL-only export with no namespace check: iommufd gets VFIO\'s private map', () => {
    const t = taskWith(VFIO_PCI_CORE, IOMMUFD);
    expect(__symbol_get(t, 'vfio_pci_dma_buf_iommufd_map')).toBe(vfio_pci_dma_buf_iommufd_map);
    __symbol_put(t, 'vfio_pci_dma_buf_iommufd_map');
  });

  it('finds nothing when the exporting module is not loaded', () => {
    expect(__symbol_get(taskWith(IOMMUFD), 'vfio_pci_dma_buf_iommufd_map')).toBeNull();
  });

  it.each([
    ['dma_resv_wait_timeout', 'a GPL-only core export', true],
    ['dma_fence_signal', 'a non-GPL core export (failing symbol_get of non-GPLONLY symbol)', false],
    ['dma_buf_move_notify', 'a name only the other kernel version exports', false],
  ])('%s, %s: found = %s', (name, _what, found) => {
    const got = __symbol_get(taskWith(), name);
    expect(got !== null).toBe(found);
    if (found) expect(got).toBe(dma_resv_wait_timeout);
  });
});
