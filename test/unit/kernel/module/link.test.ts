import { describe, expect, it } from 'vitest';
import { EINVAL } from '../../../../src/errno/errno.js';
import { HarnessError } from '../../../../src/errno/errors.js';
import { defineModule } from '../../../../src/kernel/module/define.js';
import { kernelSymbolsFor } from '../../../../src/kernel/module/dmabuf_exports.js';
import { linkModules, relinkModules, resolvedNames, symtabOf } from '../../../../src/kernel/module/link.js';
import { load_module, type LoadedModule } from '../../../../src/kernel/module/load.js';
import { moduleSlot } from '../../../../src/kernel/module/this_module.js';
import { LINKED_PROBE } from '../../../fixtures/modules/linked.js';
import { LINKED_OTHER } from '../../../fixtures/modules/linked_other.js';

function loadBoth(): LoadedModule[] {
  const table = kernelSymbolsFor('final');
  return [LINKED_OTHER, LINKED_PROBE].map((m) => {
    const r = load_module(m, table);
    expect(r.ret).toBe(0);
    return r.symbols!;
  });
}

function workerCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof HarnessError ? e.code : 'other';
  }
  return '';
}

describe('linking loaded modules', () => {
  it('builds a frozen, prototype-less table of exactly the resolved symbols', () => {
    const [, probe] = loadBoth();
    const k = symtabOf(probe!.symbols);
    expect(Object.keys(k)).toEqual([...probe!.symbols.keys()]);
    expect(k.dma_fence_context_alloc).toBe(probe!.symbols.get('dma_fence_context_alloc')!.impl);
    expect(Object.isFrozen(k)).toBe(true);
    expect(Object.getPrototypeOf(k)).toBe(null);
    expect(k['dma_resv_lock']).toBeUndefined();
    expect(k['toString']).toBeUndefined();
  });

  it('places each module\'s table at its slot; an actor thread re-links the same tables from the names', () => {
    const loaded = loadBoth();
    const main = linkModules(loaded);
    const worker = relinkModules([LINKED_OTHER, LINKED_PROBE], 'final', resolvedNames(loaded));
    for (const m of [LINKED_OTHER, LINKED_PROBE]) {
      expect(main[moduleSlot(m.name)]).toBeDefined();
      expect(worker[moduleSlot(m.name)]).toEqual(main[moduleSlot(m.name)]);
    }
    expect(main.filter((x) => x !== undefined)).toHaveLength(2);
  });

  it('refuses to re-link names this thread does not export, or lists that do not match the modules (ERR_WORKER)', () => {
    expect(workerCode(() => relinkModules([LINKED_PROBE], 'final', [['no_such_symbol']]))).toBe('ERR_WORKER');
    expect(workerCode(() => relinkModules([LINKED_PROBE], 'final', []))).toBe('ERR_WORKER');
  });

  it('a table accessed as k.name counts as a use: without the DMA_BUF import the probe fails to load -EINVAL', () => {
    const noImport = defineModule({ name: 'linked_probe_noimport', license: 'GPL', source: LINKED_PROBE.source });
    expect(load_module(noImport, kernelSymbolsFor('final')).ret).toBe(-EINVAL);
  });
});
