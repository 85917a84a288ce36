import { describe, expect, it } from 'vitest';
import {
  formatModpost, formatNsdeps, modpost, moduleUsedSymbols, usedSymbols,
} from '../../../../src/kernel/module/modpost.js';
import { knownSymbolNames } from '../../../../src/kernel/module/symbols.js';
import { defineModule } from '../../../../src/kernel/module/define.js';
import dupExporter from '../../../fixtures/modules/dup_exporter.js';
import exporter from '../../../fixtures/modules/exporter.js';
import m1 from '../../../fixtures/modules/m1_importer.js';
import m2 from '../../../fixtures/modules/m2_noimport.js';
import m3 from '../../../fixtures/modules/m3_ib_uverbs.js';
import m4 from '../../../fixtures/modules/m4_mlx5_ib.js';
import kvmAmd from '../../../fixtures/modules/m5_kvm_amd.js';
import kvmIntel from '../../../fixtures/modules/m5_kvm_intel.js';
import m6 from '../../../fixtures/modules/m6_import_module_ns.js';
import m7 from '../../../fixtures/modules/m7_proprietary.js';
import m7uverbs from '../../../fixtures/modules/m7_uverbs_proprietary.js';
import m8 from '../../../fixtures/modules/m8_user.js';
import weakBoth from '../../../fixtures/modules/weak_both.js';
import { kernelSymbolsFor } from '../../../../src/kernel/module/dmabuf_exports.js';
import { dmaBufTable } from './support.js';

const missing = (mod: string, sym: string, ns: string) =>
  `module ${mod} uses symbol ${sym} from namespace ${ns}, but does not import it.`;

describe('usedSymbols (AST scan of the module source)', () => {
  it('finds property-access and plain identifiers that name exports, sorted, without own exports', () => {
    expect(usedSymbols(m1.sourcePath, dmaBufTable())).toEqual(['dma_buf_get', 'dma_fence_context_alloc']);
    expect(moduleUsedSymbols(m8, dmaBufTable())).toEqual(['usb_test_common_get', 'usb_test_x_get']);
    expect(usedSymbols(m7.sourcePath, dmaBufTable()))
      .toEqual(['dma_buf_get', 'dma_fence_signal', 'dma_resv_wait_timeout']);
    expect(usedSymbols(exporter.sourcePath, knownSymbolNames(), exporter.exports.map((e) => e.name))).toEqual([]);
    expect(usedSymbols(exporter.sourcePath, knownSymbolNames())).toContain('kvm_test_only');
  });

  it('reads every file of a multi-file module (objects): the union of their uses, once each', () => {
    const multi = defineModule({
      name: 'modpost_multi', license: 'GPL', source: m1.source, objects: [m7.source, m1.source],
    });
    expect(moduleUsedSymbols(multi, dmaBufTable()))
      .toEqual(['dma_buf_get', 'dma_fence_context_alloc', 'dma_fence_signal', 'dma_resv_wait_timeout']);
  });
});

describe('modpost (scripts/mod/modpost.c)', () => {
  it('M1: an importer with its import is clean', () => {
    expect(modpost([m1], dmaBufTable())).toEqual({ messages: [], nsdeps: [] });
  });

  it('M2: missing DMA_BUF import is an ERROR, a WARNING with -N, and goes to modules.nsdeps', () => {
    const err = modpost([m2], dmaBufTable());
    expect(err.messages).toEqual([
      { level: 'ERROR', module: 'dmabuf_m2_noimport', text: missing('dmabuf_m2_noimport', 'dma_buf_get', 'DMA_BUF') },
    ]);
    expect(formatModpost(err.messages[0]!))
      .toBe(`ERROR: modpost: ${missing('dmabuf_m2_noimport', 'dma_buf_get', 'DMA_BUF')}`);
    const warn = modpost([m2], dmaBufTable(), { allowMissingNamespaceImports: true });
    expect(warn.messages.map((m) => m.level)).toEqual(['WARNING']);
    expect(warn.nsdeps).toEqual([{ module: 'dmabuf_m2_noimport', sourcePath: m2.sourcePath, namespaces: ['DMA_BUF'] }]);
    expect(formatNsdeps(warn.nsdeps)).toEqual([`${m2.sourcePath}: DMA_BUF`]);
  });

  it('M3/M4: the ib_uverbs-only symbol is fine for ib_uverbs; mlx5_ib errs and nsdeps gets nothing', () => {
    const r = modpost([exporter, m3, m4], dmaBufTable());
    expect(r.messages).toEqual([
      { level: 'ERROR', module: 'mlx5_ib', text: missing('mlx5_ib', 'dmabuf_test_uverbs_only', 'module:ib_uverbs') },
    ]);
    expect(r.nsdeps).toEqual([]);
  });

  it('M5: modpost compares raw names: kvm-amd matches "kvm-*", kvm_intel does not (the loader admits both)', () => {
    const r = modpost([exporter, kvmAmd, kvmIntel], dmaBufTable());
    expect(r.messages.map((m) => m.text)).toEqual([missing('kvm_intel', 'kvm_test_only', 'module:kvm,kvm-*')]);
  });

  it('M6: an explicit module: import is a modpost error', () => {
    const r = modpost([exporter, m6], dmaBufTable());
    expect(r.messages).toEqual([
      { level: 'ERROR', module: 'm6_importer', text: 'm6_importer: explicitly importing namespace "module:kvm" is not allowed.' },
      { level: 'ERROR', module: 'm6_importer', text: missing('m6_importer', 'kvm_test_only', 'module:kvm,kvm-*') },
    ]);
    expect(r.nsdeps).toEqual([]);
  });

  it('M7: GPL-incompatible module using GPL-only symbols (FOR_MODULES included) is an error per symbol', () => {
    const r = modpost([exporter, m7, m7uverbs], dmaBufTable());
    expect(r.messages.map((m) => m.text)).toEqual([
      "GPL-incompatible module m7_blob.ko uses GPL-only symbol 'dma_buf_get'",
      "GPL-incompatible module m7_blob.ko uses GPL-only symbol 'dma_resv_wait_timeout'",
      "GPL-incompatible module ib_uverbs.ko uses GPL-only symbol 'dmabuf_test_uverbs_only'",
    ]);
    expect(r.messages.every((m) => m.level === 'ERROR')).toBe(true);
  });

  it('M8: a module importing USB_COMMON but using an X symbol misses X only', () => {
    const r = modpost([exporter, m8], dmaBufTable(), { allowMissingNamespaceImports: true });
    expect(r.messages.map((m) => m.text)).toEqual([missing('usb_test_user', 'usb_test_x_get', 'X')]);
    expect(r.nsdeps.map((e) => [e.module, e.namespaces])).toEqual([['usb_test_user', ['X']]]);
  });

  it('reports undefined symbols and names exported twice', () => {
    const r = modpost([m8, dupExporter], dmaBufTable());
    expect(r.messages.map((m) => m.text)).toEqual([
      "dup_exporter: 'dma_fence_signal' exported twice. Previous export was in vmlinux",
      '"usb_test_common_get" [usb_test_user.ko] undefined!',
      '"usb_test_x_get" [usb_test_user.ko] undefined!',
    ]);
  });
});

describe('modpost: weak references', () => {
  it.each(['v3', 'final'] as const)('a weak reference the %s kernel does not export is not "undefined!"', (kernel) => {
    expect(modpost([weakBoth], kernelSymbolsFor(kernel)).messages).toEqual([]);
  });
});
