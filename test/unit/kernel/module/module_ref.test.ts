// Module references at run time (kernel/module/main.c __symbol_get / __symbol_put, ref_module,
// delete_module): a __symbol_get holds its owner until __symbol_put, and a module whose exports
// other loaded modules linked cannot be deleted before them — -EWOULDBLOCK (== -EAGAIN) both ways.
// Each static user's ref_module reference is in the module's count (strong_try_module_get), so
// unbalanced module_puts take those before the base and WARN only on a count at 0; deleting the
// user puts its reference (module_unload_free).
import { describe, expect, it } from 'vitest';
import { EAGAIN, ENOENT } from '../../../../src/errno/errno.js';
import { IOMMUFD, VFIO_PCI_CORE } from '../../../../src/drivers/modules.js';
import { kernelSymbolsFor } from '../../../../src/kernel/module/dmabuf_exports.js';
import type { ModuleDef } from '../../../../src/kernel/module/define.js';
import { linkModules } from '../../../../src/kernel/module/link.js';
import { load_module, type LoadedModule } from '../../../../src/kernel/module/load.js';
import { module_put, sys_delete_module, trial_module_refcount } from '../../../../src/kernel/module/module_ref.js';
import { __symbol_get, __symbol_put } from '../../../../src/kernel/module/symbol_get.js';
import type { Task } from '../../../../src/kernel/task.js';
import { warnSpec } from '../../../../src/kernel/warn.js';
import { C_NFINDINGS, G_CODE } from '../../../../src/shm/layout.js';
import exporter from '../../../fixtures/modules/exporter.js';
import m3 from '../../../fixtures/modules/m3_ib_uverbs.js';
import kvm from '../../../fixtures/modules/m5_kvm.js';
import { bootTask, dmaBufTable } from './support.js';

/** A task whose trial loaded `mods` into `table`. */
function taskWith(table: ReturnType<typeof dmaBufTable>, ...mods: ModuleDef[]) {
  const loaded = mods.map((m) => load_module(m, table).symbols) as LoadedModule[];
  return bootTask(linkModules(loaded));
}

const MAP = 'vfio_pci_dma_buf_iommufd_map';
const EXPORTER = 'dmabuf_test_exporter';

/** The warnings recorded so far on `t`'s arena, by name. */
function warned(t: Task): string[] {
  const a = t.arena;
  return Array.from({ length: a.ctl(C_NFINDINGS) }, (_, i) => warnSpec(a.i32[a.finding(i) + G_CODE]!)?.name ?? '?');
}

/** The fixture exporter's static users: none, ib_uverbs, ib_uverbs and kvm. */
const USERS: readonly [number, readonly ModuleDef[]][] = [[0, []], [1, [m3]], [2, [m3, kvm]]];

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

  it.each(USERS)('a module with %i static users absorbs that many unbalanced module_puts and its base silently; the next put WARNs', (k, users) => {
    const t = taskWith(dmaBufTable(), exporter, ...users);
    expect(trial_module_refcount(t, EXPORTER)).toBe(k);
    for (let i = 0; i <= k; i++) module_put(t, EXPORTER);
    expect([trial_module_refcount(t, EXPORTER), warned(t)]).toEqual([-1, []]);
    module_put(t, EXPORTER);
    expect(warned(t)).toEqual(['MODULE_PUT_UNDERFLOW']);
  });

  it('deleting a static user puts the reference its load took: after unbalanced puts took it, that put WARNs', () => {
    const balanced = taskWith(dmaBufTable(), exporter, m3);
    expect(sys_delete_module(balanced, 'ib_uverbs')).toBe(0);
    expect([trial_module_refcount(balanced, EXPORTER), warned(balanced)]).toEqual([0, []]);
    const unbalanced = taskWith(dmaBufTable(), exporter, m3);
    module_put(unbalanced, EXPORTER);
    module_put(unbalanced, EXPORTER);
    expect(warned(unbalanced)).toEqual([]);
    expect(sys_delete_module(unbalanced, 'ib_uverbs')).toBe(0);
    expect([trial_module_refcount(unbalanced, EXPORTER), warned(unbalanced)]).toEqual([-1, ['MODULE_PUT_UNDERFLOW']]);
  });
});
