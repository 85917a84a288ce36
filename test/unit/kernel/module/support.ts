/** Shared setup for the module-system tests: tables with dma_buf_get and the fixture exporter. */
import { expect } from 'vitest';
import { Arena } from '../../../../src/shm/arena.js';
import { kernelBoot } from '../../../../src/kernel/boot.js';
import { Task } from '../../../../src/kernel/task.js';
import type { Symtabs } from '../../../../src/kernel/module/linked_modules.js';
import { load_module } from '../../../../src/kernel/module/load.js';
import {
  EXPORT_SYMBOL_NS_GPL, KERNEL_SYMBOLS, VMLINUX, type SymbolTable,
} from '../../../../src/kernel/module/symbols.js';
import exporter from '../../../fixtures/modules/exporter.js';

/** Stand-in for the dma-buf core's dma_buf_get when the core has not registered it. */
function stub_dma_buf_get(_t: Task, fd: number): number {
  return 1000 + fd;
}

/**
 * A copy of KERNEL_SYMBOLS that exports `dma_buf_get` GPL-only into DMA_BUF (the dma-buf
 * core's own export when it is registered, else a stub exported the same way).
 */
export function dmaBufTable(): SymbolTable {
  const t = KERNEL_SYMBOLS.clone();
  if (t.lookup('dma_buf_get') === undefined) {
    EXPORT_SYMBOL_NS_GPL(t, VMLINUX, 'dma_buf_get', stub_dma_buf_get, 'DMA_BUF');
  }
  const s = t.lookup('dma_buf_get');
  expect(s?.ns).toBe('DMA_BUF');
  expect(s?.gplOnly).toBe(true);
  return t;
}

/** `dmaBufTable()` with the fixture exporter module loaded. */
export function withExporter(): SymbolTable {
  const t = dmaBufTable();
  const r = load_module(exporter, t);
  expect(r.ret).toBe(0);
  return t;
}

/** A booted single-actor arena's task, for calling bound kernel functions; its trial loaded the
 *  modules of `symtabs` (linkModules), whose reference counts the boot fills. */
export function bootTask(symtabs: Symtabs = []): Task {
  const a = Arena.create();
  a.resetTrial({ actors: 1, mode: 0, stepLimit: 1000, waitPolicy: 0, replayLen: 0 });
  const t = new Task(a, 0, 'module-test');
  t.symtabs = symtabs;
  kernelBoot(t);
  return t;
}
