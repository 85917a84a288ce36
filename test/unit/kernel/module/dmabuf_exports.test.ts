import { describe, expect, it } from 'vitest';
import { ENOENT } from '../../../../src/errno/errno.js';
import { loadModules } from '../../../../src/exec/modules.js';
import type { ModuleDef } from '../../../../src/kernel/module/define.js';
import { VERSIONED_SYMBOL_NAMES, kernelSymbolsFor } from '../../../../src/kernel/module/dmabuf_exports.js';
import { load_module } from '../../../../src/kernel/module/load.js';
import { formatModpost, modpost } from '../../../../src/kernel/module/modpost.js';
import { VMLINUX, knownSymbolNames } from '../../../../src/kernel/module/symbols.js';
import finalBuilt from '../../../fixtures/modules/final_built.js';
import v3Built from '../../../fixtures/modules/v3_built.js';

type Kernel = 'v3' | 'final';

/** The fixture modules by name, so the test names show the name. */
const MODS: Record<string, ModuleDef> = { v3_built: v3Built, final_built: finalBuilt };

describe('the dma-buf core exports per kernel version', () => {
  it.each([
    ['v3', 'dma_buf_move_notify', 'dma_buf_invalidate_mappings'],
    ['final', 'dma_buf_invalidate_mappings', 'dma_buf_move_notify'],
  ] as const)('the %s table exports %s (GPL-only, DMA_BUF) and not %s', (kernel, has, hasNot) => {
    const t = kernelSymbolsFor(kernel);
    const s = t.lookup(has);
    expect([s?.ns, s?.gplOnly, s?.owner]).toEqual(['DMA_BUF', true, VMLINUX]);
    expect(t.lookup(hasNot)).toBeUndefined();
  });

  it.each([['v3', true], ['final', false]] as const)('the ib_uverbs-only stub is in the %s table: %s', (kernel, present) => {
    expect(kernelSymbolsFor(kernel).lookup('dma_buf_unsupported_invalidate_mappings') !== undefined).toBe(present);
  });

  it('every name only some version exports is a kernel symbol name the loader looks for', () => {
    expect([...VERSIONED_SYMBOL_NAMES].sort()).toEqual([
      'dma_buf_invalidate_mappings', 'dma_buf_move_notify', 'dma_buf_unsupported_invalidate_mappings',
    ]);
    for (const n of VERSIONED_SYMBOL_NAMES) expect(knownSymbolNames().has(n), n).toBe(true);
  });
});

describe('a module built against the other kernel version', () => {
  it.each([
    ['v3_built', 'final', 'dma_buf_move_notify'],
    ['final_built', 'v3', 'dma_buf_invalidate_mappings'],
  ] as [string, Kernel, string][])('%s on the %s kernel: Unknown symbol %s (-ENOENT), a module-load finding', (name, kernel, sym) => {
    const mod = MODS[name]!;
    const r = load_module(mod, kernelSymbolsFor(kernel));
    expect(r.ret).toBe(-ENOENT);
    expect(r.log).toEqual([`${mod.name}: Unknown symbol ${sym} (err -2)`]);
    const out = loadModules([mod], { kernel }, false);
    expect(out.ok).toBe(false);
    expect(out.findings.map((f) => [f.kind, f.code, f.obj])).toEqual([['module-load', 'MODULE_LOAD', -ENOENT]]);
  });

  it.each([['v3_built', 'v3'], ['final_built', 'final']] as [string, Kernel][])('%s loads on its own (%s) kernel', (name, kernel) => {
    const mod = MODS[name]!;
    const r = load_module(mod, kernelSymbolsFor(kernel));
    expect(r.ret).toBe(0);
    expect(loadModules([mod], { kernel }, false).findings).toEqual([]);
  });

  it.each([
    ['v3_built', 'final', 'dma_buf_move_notify'],
    ['final_built', 'v3', 'dma_buf_invalidate_mappings'],
  ] as [string, Kernel, string][])('modpost: %s against %s: "%s" undefined (ERROR)', (name, kernel, sym) => {
    const mod = MODS[name]!;
    const r = modpost([mod], kernelSymbolsFor(kernel));
    expect(r.messages.map(formatModpost)).toEqual([`ERROR: modpost: "${sym}" [${mod.name}.ko] undefined!`]);
  });
});
