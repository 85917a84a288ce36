import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as TS from 'typescript';
import { describe, expect, it } from 'vitest';
import { EINVAL, ENOENT } from '../../../src/errno/errno.js';
import {
  BUILTIN_MODULES, DMA_ENGINE, GPU_EXPORTER, GPU_IMPORTER, IOMMUFD, RDMA_IMPORTER, VFIO_PCI_CORE,
} from '../../../src/drivers/modules.js';
import { defineModule, moduleSymbols, type ModuleDef } from '../../../src/kernel/module/define.js';
import { kernelSymbolsFor } from '../../../src/kernel/module/dmabuf_exports.js';
import { linkModules } from '../../../src/kernel/module/link.js';
import { load_module, type LoadedModule } from '../../../src/kernel/module/load.js';
import { moduleUsedSymbols, modpost } from '../../../src/kernel/module/modpost.js';
import { parseSource, typescript } from '../../../src/kernel/module/parse.js';
import { knownSymbolNames } from '../../../src/kernel/module/table.js';
import { moduleSlot } from '../../../src/kernel/module/this_module.js';

const DRIVERS = dirname(VFIO_PCI_CORE.sourcePath);

/** Load `mods` in order into a fresh table of `kernel`; every load must succeed. */
function loadAll(mods: readonly ModuleDef[], kernel: 'v3' | 'final'): LoadedModule[] {
  const table = kernelSymbolsFor(kernel);
  return mods.map((m) => {
    const r = load_module(m, table);
    expect(r.ret, m.name).toBe(0);
    return r.symbols!;
  });
}

/** Every node of the compiled file at `path` for which `pick` returns something. */
function scan<T>(path: string, pick: (node: TS.Node) => T | undefined): T[] {
  const out: T[] = [];
  const visit = (n: TS.Node): void => {
    const v = pick(n);
    if (v !== undefined) out.push(v);
    typescript().forEachChild(n, visit);
  };
  visit(parseSource(path, readFileSync(path, 'utf8')));
  return out;
}

/** The value bindings the compiled file imports (type-only imports are gone from the .js). */
function importedNames(path: string): string[] {
  const ts = typescript();
  return scan(path, (n) => (ts.isImportSpecifier(n) ? (n.propertyName ?? n.name).text : undefined));
}

/** The module names the file passes to moduleRef (its THIS_MODULE). */
function thisModuleNames(path: string): string[] {
  const ts = typescript();
  return scan(path, (n) => {
    if (!ts.isCallExpression(n) || !ts.isIdentifier(n.expression) || n.expression.text !== 'moduleRef') return undefined;
    const arg = n.arguments[0];
    return arg !== undefined && ts.isStringLiteral(arg) ? arg.text : '?';
  });
}

describe('built-in driver modules', () => {
  it('every driver file belongs to exactly one module, so modpost reads all it uses', () => {
    const files = readdirSync(DRIVERS).filter((f) => f.endsWith('.js') && f !== 'modules.js').map((f) => join(DRIVERS, f));
    for (const f of files) {
      expect(BUILTIN_MODULES.filter((m) => m.sourcePaths.includes(f)).map((m) => m.name), f).toHaveLength(1);
    }
  });

  it('each file\'s THIS_MODULE names the module it belongs to', () => {
    for (const m of BUILTIN_MODULES) {
      for (const f of m.sourcePaths) for (const name of thisModuleNames(f)) expect(name, f).toBe(m.name);
      expect(m.sourcePaths.flatMap((f) => thisModuleNames(f)).length, m.name).toBeGreaterThan(0);
    }
  });

  it('no driver file imports a kernel symbol or another module\'s export: they are reached only through the table', () => {
    const symbolNames = new Set([...kernelSymbolsFor('v3').names(), ...knownSymbolNames()]);
    for (const m of BUILTIN_MODULES) {
      const own = new Set(m.exports.map((e) => e.name));
      for (const f of m.sourcePaths) {
        expect(importedNames(f).filter((n) => symbolNames.has(n) && !own.has(n)), f).toEqual([]);
      }
    }
  });

  it.each(['final', 'v3'] as const)('all load (%s); each module\'s table is exactly modpost\'s used set for its sources, less weak references the kernel lacks', (kernel) => {
    const loaded = loadAll(BUILTIN_MODULES, kernel);
    const tabs = linkModules(loaded);
    const table = kernelSymbolsFor(kernel);
    for (const m of BUILTIN_MODULES) {
      const used = moduleUsedSymbols(m, table).filter((n) => table.lookup(n) !== undefined || !m.weak.includes(n));
      expect(Object.keys(tabs[moduleSlot(m.name)]!).sort(), m.name).toEqual(used);
      for (const sym of moduleSymbols(m)) table.add(sym);
    }
  });

  it('links exactly the symbols the code calls through its table: dma_engine gets the fence calls its jobs make', () => {
    const [, engine] = loadAll([VFIO_PCI_CORE, DMA_ENGINE], 'final');
    expect([...engine!.symbols.keys()].sort()).toEqual(['dma_fence_get', 'dma_fence_put', 'dma_fence_signal']);
  });

  it('reads every file of a module: vfio_pci_core resolves what vfio_revoke.js and vfio_iommufd.js call', () => {
    const [vfio] = loadAll([VFIO_PCI_CORE], 'final');
    expect([...vfio!.symbols.keys()]).toEqual(expect.arrayContaining([
      'dma_buf_attach_revocable', 'dma_buf_export', 'dma_buf_invalidate_mappings', 'dma_resv_assert_held',
      'dma_resv_wait_timeout', 'msleep',
    ]));
  });

  it.each([
    ['v3', 'dma_buf_move_notify', 'dma_buf_invalidate_mappings'],
    ['final', 'dma_buf_invalidate_mappings', 'dma_buf_move_notify'],
  ] as const)('on the %s kernel the exporters (vfio_pci_core, xe) resolve %s, not %s', (kernel, has, hasNot) => {
    for (const m of loadAll([VFIO_PCI_CORE, DMA_ENGINE, GPU_EXPORTER], kernel).filter((l) => l.name !== DMA_ENGINE.name)) {
      expect([m.name, m.symbols.has(has), m.symbols.has(hasNot)]).toEqual([m.name, true, false]);
    }
  });

  it('a symbol the module does not use reads undefined in its table', () => {
    const loaded = loadAll([VFIO_PCI_CORE, DMA_ENGINE, GPU_IMPORTER], 'final');
    const amdgpu = linkModules(loaded)[moduleSlot(GPU_IMPORTER.name)]!;
    expect(typeof amdgpu.dma_buf_dynamic_attach).toBe('function');
    expect(amdgpu.dma_buf_attach).toBeUndefined();
    expect(amdgpu.vfio_pci_dma_buf_iommufd_map).toBeUndefined();
  });

  it.each(['final', 'v3'] as const)('iommufd does not link vfio\'s private map (symbol_get at run time): it loads without vfio_pci_core (%s)', (kernel) => {
    const [iommufd] = loadAll([IOMMUFD], kernel);
    expect(iommufd!.symbols.has('vfio_pci_dma_buf_iommufd_map')).toBe(false);
    expect(loadAll([VFIO_PCI_CORE, IOMMUFD], kernel)[1]!.symbols.has('vfio_pci_dma_buf_iommufd_map')).toBe(false);
    expect(modpost([IOMMUFD], kernelSymbolsFor(kernel)).messages).toEqual([]);
  });

  it('v3 gives ib_uverbs the stub; final has none', () => {
    const stub = 'dma_buf_unsupported_invalidate_mappings';
    expect(loadAll([DMA_ENGINE, RDMA_IMPORTER], 'v3')[1]!.symbols.has(stub)).toBe(true);
    expect(loadAll([DMA_ENGINE, RDMA_IMPORTER], 'final')[1]!.symbols.has(stub)).toBe(false);
  });

  it('a driver whose sources use DMA_BUF symbols through its table still needs the import (-EINVAL)', () => {
    const noImport = defineModule({
      name: 'vfio_pci_core_noimport', license: 'GPL v2', source: VFIO_PCI_CORE.source,
      objects: VFIO_PCI_CORE.sourcePaths.slice(1), exports: VFIO_PCI_CORE.exports,
    });
    expect(load_module(noImport, kernelSymbolsFor('final')).ret).toBe(-EINVAL);
  });

  it('an importer loaded before the dma_engine module it uses fails with Unknown symbol (-ENOENT)', () => {
    expect(load_module(GPU_IMPORTER, kernelSymbolsFor('final')).ret).toBe(-ENOENT);
  });
});
