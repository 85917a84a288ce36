import { describe, expect, it } from 'vitest';
import { EAGAIN, EINVAL, ENOENT, ENOEXEC, EPERM } from '../../../../src/errno/errno.js';
import {
  EEXIST, bindSymbols, delete_module, load_module, module_holders, module_refcount, symbol_get, symbol_put,
} from '../../../../src/kernel/module/load.js';
import { modinfo } from '../../../../src/kernel/module/modinfo.js';
import dupExporter from '../../../fixtures/modules/dup_exporter.js';
import exporter from '../../../fixtures/modules/exporter.js';
import m1, { probe as m1probe } from '../../../fixtures/modules/m1_importer.js';
import m2 from '../../../fixtures/modules/m2_noimport.js';
import m3 from '../../../fixtures/modules/m3_ib_uverbs.js';
import m4 from '../../../fixtures/modules/m4_mlx5_ib.js';
import kvm from '../../../fixtures/modules/m5_kvm.js';
import kvmAmd from '../../../fixtures/modules/m5_kvm_amd.js';
import kvmIntel from '../../../fixtures/modules/m5_kvm_intel.js';
import kvmfoo from '../../../fixtures/modules/m5_kvmfoo.js';
import m6 from '../../../fixtures/modules/m6_import_module_ns.js';
import m7 from '../../../fixtures/modules/m7_proprietary.js';
import m7uverbs from '../../../fixtures/modules/m7_uverbs_proprietary.js';
import m8 from '../../../fixtures/modules/m8_user.js';
import propExporter from '../../../fixtures/modules/prop_exporter.js';
import taintUser from '../../../fixtures/modules/taint_user.js';
import weakBoth, { WEAK_NOIMPORT } from '../../../fixtures/modules/weak_both.js';
import { kernelSymbolsFor } from '../../../../src/kernel/module/dmabuf_exports.js';
import { bootTask, dmaBufTable, withExporter } from './support.js';

const NS_MSG = (mod: string, sym: string, ns: string) =>
  `${mod}: module uses symbol (${sym}) from namespace ${ns}, but does not import it.`;

describe('load_module (kernel/module/main.c)', () => {
  it('M1: a module importing DMA_BUF that uses dma_buf_get loads; actors get only what it resolved', () => {
    const table = dmaBufTable();
    const r = load_module(m1, table);
    expect(r.ret).toBe(0);
    expect(r.log).toEqual([]);
    expect([...r.symbols!.symbols.keys()]).toEqual(['dma_buf_get', 'dma_fence_context_alloc']);
    const t = bootTask();
    const k = bindSymbols(r.symbols!, t);
    expect(Object.keys(k)).toEqual(['dma_buf_get', 'dma_fence_context_alloc']);
    expect(k.dma_resv_lock).toBeUndefined();
    expect(bindSymbols(r.symbols!, t)).toBe(k);
    expect(typeof m1probe(k, 3).context).toBe('number');
    expect(modinfo(m1)).toEqual(['name: dmabuf_m1_importer', 'license: GPL v2', 'import_ns: DMA_BUF']);
  });

  it('M2: without the import the load fails -EINVAL with the kernel text; allowed, it loads with a warning', () => {
    const failed = load_module(m2, dmaBufTable());
    expect(failed.ret).toBe(-EINVAL);
    expect(failed.symbols).toBeUndefined();
    expect(failed.log).toEqual([
      NS_MSG('dmabuf_m2_noimport', 'dma_buf_get', 'DMA_BUF'),
      'dmabuf_m2_noimport: Unknown symbol dma_buf_get (err -22)',
    ]);
    const allowed = load_module(m2, dmaBufTable(), { allowMissingNamespaceImports: true });
    expect(allowed.ret).toBe(0);
    expect(allowed.log).toEqual([NS_MSG('dmabuf_m2_noimport', 'dma_buf_get', 'DMA_BUF')]);
    expect([...allowed.symbols!.symbols.keys()]).toEqual(['dma_buf_get']);
  });

  it('M3: ib_uverbs uses the EXPORT_SYMBOL_FOR_MODULES(..., "ib_uverbs") symbol without any import', () => {
    const r = load_module(m3, withExporter());
    expect(r.ret).toBe(0);
    expect(r.log).toEqual([]);
    expect(r.symbols!.symbols.get('dmabuf_test_uverbs_only')?.ns).toBe('module:ib_uverbs');
  });

  it('M4: mlx5_ib using the ib_uverbs-only symbol fails -EINVAL', () => {
    const r = load_module(m4, withExporter());
    expect(r.ret).toBe(-EINVAL);
    expect(r.log).toEqual([
      NS_MSG('mlx5_ib', 'dmabuf_test_uverbs_only', 'module:ib_uverbs'),
      'mlx5_ib: Unknown symbol dmabuf_test_uverbs_only (err -22)',
    ]);
  });

  it('M5: "kvm,kvm-*" admits kvm, kvm_intel and kvm-amd; kvmfoo fails -EINVAL', () => {
    for (const mod of [kvm, kvmIntel, kvmAmd]) {
      const r = load_module(mod, withExporter());
      expect([mod.name, r.ret, r.log]).toEqual([mod.name, 0, []]);
    }
    const r = load_module(kvmfoo, withExporter());
    expect(r.ret).toBe(-EINVAL);
    expect(r.log[0]).toBe(NS_MSG('kvmfoo', 'kvm_test_only', 'module:kvm,kvm-*'));
  });

  it('M6: import_ns=module:kvm is refused with -EPERM before any symbol is resolved', () => {
    const r = load_module(m6, withExporter());
    expect(r.ret).toBe(-EPERM);
    expect(r.log).toEqual(['m6_importer: module tries to import module namespace: module:kvm']);
    expect(modinfo(m6)).toContain('import_ns: module:kvm');
  });

  it('M7: a proprietary module gets -ENOENT "Unknown symbol" for every GPL-only export, FOR_MODULES included', () => {
    const r = load_module(m7, dmaBufTable());
    expect(r.ret).toBe(-ENOENT);
    expect(r.log).toEqual([
      "m7_blob: module license 'Proprietary' taints kernel.",
      'm7_blob: Unknown symbol dma_buf_get (err -2)',
      'm7_blob: Unknown symbol dma_resv_wait_timeout (err -2)',
    ]);
    const u = load_module(m7uverbs, withExporter());
    expect(u.ret).toBe(-ENOENT);
    expect(u.log).toContain('ib_uverbs: Unknown symbol dmabuf_test_uverbs_only (err -2)');
  });

  it('M8: EXPORT_SYMBOL goes to the default namespace USB_COMMON, EXPORT_SYMBOL_NS(s, "X") to X', () => {
    const table = dmaBufTable();
    const ex = load_module(exporter, table);
    expect(ex.ret).toBe(0);
    const ns = Object.fromEntries(ex.symbols!.exports.map((s) => [s.name, [s.ns, s.gplOnly, s.owner]]));
    expect(ns).toEqual({
      usb_test_common_get: ['USB_COMMON', false, 'dmabuf_test_exporter'],
      usb_test_x_get: ['X', false, 'dmabuf_test_exporter'],
      usb_test_gpl_only: ['USB_COMMON', true, 'dmabuf_test_exporter'],
      dmabuf_test_uverbs_only: ['module:ib_uverbs', true, 'dmabuf_test_exporter'],
      kvm_test_only: ['module:kvm,kvm-*', true, 'dmabuf_test_exporter'],
    });
    const user = load_module(m8, table);
    expect(user.ret).toBe(-EINVAL);
    expect(user.log).toEqual([
      NS_MSG('usb_test_user', 'usb_test_x_get', 'X'),
      'usb_test_user: Unknown symbol usb_test_x_get (err -22)',
    ]);
  });
});

describe('load_module: other kernel rules', () => {
  it('a symbol no loaded module exports is "Unknown symbol ... (err -2)"', () => {
    const r = load_module(m8, dmaBufTable());
    expect(r.ret).toBe(-ENOENT);
    expect(r.log).toEqual([
      'usb_test_user: Unknown symbol usb_test_common_get (err -2)',
      'usb_test_user: Unknown symbol usb_test_x_get (err -2)',
    ]);
  });

  it('exporting a name the kernel already exports fails -ENOEXEC; loading twice fails -EEXIST', () => {
    const table = dmaBufTable();
    const r = load_module(dupExporter, table);
    expect(r.ret).toBe(-ENOEXEC);
    expect(r.log).toEqual(['dup_exporter: exports duplicate symbol dma_fence_signal (owned by kernel)']);
    expect(load_module(exporter, table).ret).toBe(0);
    expect(load_module(exporter, table).ret).toBe(-EEXIST);
  });

  it('delete_module removes the exports; symbol_get only returns GPL-only exports', () => {
    const table = withExporter();
    expect(symbol_get(table, 'dmabuf_test_uverbs_only')?.owner).toBe('dmabuf_test_exporter');
    expect(symbol_put(table, 'dmabuf_test_uverbs_only')).toBe(0);
    const log: string[] = [];
    expect(symbol_get(table, 'usb_test_common_get', log)).toBeNull();
    expect(log).toEqual(['failing symbol_get of non-GPLONLY symbol usb_test_common_get.']);
    expect(delete_module(table, 'dmabuf_test_exporter')).toBe(0);
    expect(table.lookup('kvm_test_only')).toBeUndefined();
    expect(delete_module(table, 'dmabuf_test_exporter')).toBe(-ENOENT);
    expect(load_module(exporter, table).ret).toBe(0);
  });

  it('symbol_get takes a reference on the exporting module: delete_module fails -EWOULDBLOCK until symbol_put', () => {
    const table = withExporter();
    expect(module_refcount(table, 'dmabuf_test_exporter')).toBe(0);
    expect(symbol_get(table, 'kvm_test_only')).not.toBeNull();
    expect(module_refcount(table, 'dmabuf_test_exporter')).toBe(1);
    expect(delete_module(table, 'dmabuf_test_exporter')).toBe(-EAGAIN);
    expect(table.lookup('kvm_test_only')).toBeDefined();
    expect(symbol_put(table, 'kvm_test_only')).toBe(0);
    expect(module_refcount(table, 'dmabuf_test_exporter')).toBe(0);
    expect(delete_module(table, 'dmabuf_test_exporter')).toBe(0);
    expect(module_refcount(table, 'dmabuf_test_exporter')).toBe(-ENOENT);
  });

  it('ref_module: delete_module refuses a module others link (-EWOULDBLOCK, its holders named) until they are deleted first', () => {
    const table = withExporter();
    expect(load_module(m3, table).ret).toBe(0);
    expect(load_module(kvm, table).ret).toBe(0);
    expect(module_holders(table, 'dmabuf_test_exporter')).toEqual(['ib_uverbs', 'kvm']);
    expect(module_refcount(table, 'dmabuf_test_exporter')).toBe(2);
    expect(delete_module(table, 'dmabuf_test_exporter')).toBe(-EAGAIN);
    expect(table.lookup('kvm_test_only')?.owner).toBe('dmabuf_test_exporter');
    expect(delete_module(table, 'ib_uverbs')).toBe(0);
    expect([module_holders(table, 'dmabuf_test_exporter'), module_refcount(table, 'dmabuf_test_exporter')]).toEqual([['kvm'], 1]);
    expect(delete_module(table, 'dmabuf_test_exporter')).toBe(-EAGAIN);
    expect(delete_module(table, 'kvm')).toBe(0);
    expect(module_refcount(table, 'dmabuf_test_exporter')).toBe(0);
    expect(delete_module(table, 'dmabuf_test_exporter')).toBe(0);
    expect(table.lookup('kvm_test_only')).toBeUndefined();
  });

  it('ref_module counts one reference per using module, none for core exports or a failed load', () => {
    const table = withExporter();
    expect(load_module(m1, table).ret).toBe(0);
    expect(load_module(m8, table).ret).not.toBe(0);
    expect([module_holders(table, 'dmabuf_test_exporter'), module_refcount(table, 'dmabuf_test_exporter')]).toEqual([[], 0]);
    expect(module_holders(table, 'dmabuf_m1_importer')).toEqual([]);
  });

  it('symbol_get of a failing (non-GPL) or core export takes no module reference; symbol_put of an unknown name is -ENOENT', () => {
    const table = withExporter();
    expect(symbol_get(table, 'usb_test_common_get')).toBeNull();
    expect(symbol_get(table, 'dma_resv_wait_timeout')?.owner).toBe('vmlinux');
    expect(module_refcount(table, 'dmabuf_test_exporter')).toBe(0);
    expect(symbol_put(table, 'no_such_symbol')).toBe(-ENOENT);
  });

  it('inherit_taint: using a proprietary module\'s export taints the user, hiding GPL-only symbols', () => {
    const table = dmaBufTable();
    const p = load_module(propExporter, table);
    expect(p.ret).toBe(0);
    expect(p.log).toEqual(["prop_exporter: module license 'Proprietary' taints kernel."]);
    const r = load_module(taintUser, table);
    expect(r.ret).toBe(-ENOENT);
    expect(r.log).toEqual([
      'taint_user: module uses symbols blob_helper from proprietary module prop_exporter, inheriting taint.',
      'taint_user: Unknown symbol dma_resv_wait_timeout (err -2)',
    ]);
  });
});

describe('load_module: weak references ("Ok if weak")', () => {
  it.each([
    ['v3', 'dma_buf_move_notify', 'dma_buf_invalidate_mappings'],
    ['final', 'dma_buf_invalidate_mappings', 'dma_buf_move_notify'],
  ] as const)('on the %s kernel a module referencing both names weakly resolves %s and leaves %s out, silently', (kernel, has, hasNot) => {
    const r = load_module(weakBoth, kernelSymbolsFor(kernel));
    expect(r.ret).toBe(0);
    expect(r.log).toEqual([]);
    expect(r.symbols!.symbols.has(has)).toBe(true);
    expect(r.symbols!.symbols.has(hasNot)).toBe(false);
    expect(bindSymbols(r.symbols!, bootTask())[hasNot]).toBeUndefined();
  });

  it.each(['v3', 'final'] as const)('a weak reference that is exported is still checked: no DMA_BUF import fails -EINVAL (%s)', (kernel) => {
    expect(load_module(WEAK_NOIMPORT, kernelSymbolsFor(kernel)).ret).toBe(-EINVAL);
  });
});
