/**
 * The dma-buf core's exports (drivers/dma-buf/dma-buf.c): every `dma_buf_*` API symbol is
 * EXPORT_SYMBOL_NS_GPL(..., "DMA_BUF"), so importers and exporters outside the core need
 * MODULE_IMPORT_NS("DMA_BUF"). The invalidation call is exported under the name its version has:
 * the v3 posting renames only the attach op and keeps EXPORT_SYMBOL_NS_GPL(dma_buf_move_notify,
 * "DMA_BUF"); the merged series renames the function (-EXPORT dma_buf_move_notify, +EXPORT
 * dma_buf_invalidate_mappings), so each kernel exports exactly one of the two (one
 * implementation). The v3 posting's `dma_buf_unsupported_invalidate_mappings` exists only in the
 * v3 table, exported EXPORT_SYMBOL_FOR_MODULES(..., "ib_uverbs").
 *
 * Every versioned name is declared as a kernel symbol name (table.ts `declareSymbolNames`), so a
 * module whose source uses a name its kernel does not export fails to load with "Unknown symbol"
 * (-ENOENT), as a module built against the other version does; a driver that supports both lists
 * the names in its `weak` references and calls the one its table resolved.
 */
import * as attach from '../dma_buf_attach.js';
import * as buf from '../dma_buf.js';
import * as cpu from '../dma_buf_cpu_access.js';
import * as map from '../dma_buf_map.js';
import * as poll from '../dma_buf_poll.js';
import * as pollWait from '../dma_buf_poll_wait.js';
import * as vmap from '../dma_buf_vmap.js';
import { KERNEL_SYMBOLS } from './kernel_exports.js';
import {
  EXPORT_SYMBOL_FOR_MODULES, EXPORT_SYMBOL_NS_GPL, VMLINUX, declareSymbolNames, type SymbolImpl, type SymbolTable,
} from './table.js';

const DMA_BUF_NS = {
  dma_buf_export: buf.dma_buf_export,
  dma_buf_get: buf.dma_buf_get,
  dma_buf_put: buf.dma_buf_put,
  dma_buf_dynamic_attach: attach.dma_buf_dynamic_attach,
  dma_buf_attach: attach.dma_buf_attach,
  dma_buf_detach: attach.dma_buf_detach,
  dma_buf_attach_revocable: attach.dma_buf_attach_revocable,
  dma_buf_pin: map.dma_buf_pin,
  dma_buf_unpin: map.dma_buf_unpin,
  dma_buf_map_attachment: map.dma_buf_map_attachment,
  dma_buf_unmap_attachment: map.dma_buf_unmap_attachment,
  dma_buf_map_attachment_unlocked: map.dma_buf_map_attachment_unlocked,
  dma_buf_unmap_attachment_unlocked: map.dma_buf_unmap_attachment_unlocked,
  dma_buf_vmap: vmap.dma_buf_vmap,
  dma_buf_vunmap: vmap.dma_buf_vunmap,
  dma_buf_vmap_unlocked: vmap.dma_buf_vmap_unlocked,
  dma_buf_vunmap_unlocked: vmap.dma_buf_vunmap_unlocked,
  dma_buf_mmap: vmap.dma_buf_mmap,
  // CPU access and the fd (dma-buf.c: EXPORT_SYMBOL_NS_GPL(..., "DMA_BUF"))
  dma_buf_begin_cpu_access: cpu.dma_buf_begin_cpu_access,
  dma_buf_end_cpu_access: cpu.dma_buf_end_cpu_access,
  dma_buf_fd: buf.dma_buf_fd,
} as const satisfies Readonly<Record<string, SymbolImpl>>;

/**
 * dma_buf_poll and the poll(2) sleep on it. In the kernel the poll op is static (dma_buf_fops,
 * reached through the fd); the model exports it NS_GPL into DMA_BUF so a scenario's module can
 * act as the poll() caller (S14).
 */
const POLL_NS = {
  dma_buf_poll: poll.dma_buf_poll,
  dma_buf_poll_wait: pollWait.dma_buf_poll_wait,
} as const satisfies Readonly<Record<string, SymbolImpl>>;

/** The poll exports with their types. */
export type DmaBufPollSymbols = typeof POLL_NS;

for (const [name, impl] of Object.entries(POLL_NS)) {
  if (KERNEL_SYMBOLS.lookup(name) === undefined) EXPORT_SYMBOL_NS_GPL(KERNEL_SYMBOLS, VMLINUX, name, impl, 'DMA_BUF');
}

/** Exported only by the v3 posting: the old name of the invalidation call. NS_GPL into DMA_BUF. */
const V3_ONLY = {
  dma_buf_move_notify: map.dma_buf_move_notify,
} as const satisfies Readonly<Record<string, SymbolImpl>>;

/** Exported only by the merged series: the renamed invalidation call. NS_GPL into DMA_BUF. */
const FINAL_ONLY = {
  dma_buf_invalidate_mappings: map.dma_buf_invalidate_mappings,
} as const satisfies Readonly<Record<string, SymbolImpl>>;

/** The v3 stub, EXPORT_SYMBOL_FOR_MODULES(..., "ib_uverbs"). */
const V3_STUB = 'dma_buf_unsupported_invalidate_mappings';

/** The dma-buf core's exports with their types; a name only one kernel version exports may be
 *  absent. */
export type DmaBufSymbols = typeof DMA_BUF_NS & Partial<typeof V3_ONLY & typeof FINAL_ONLY> & {
  readonly dma_buf_unsupported_invalidate_mappings?: typeof attach.unsupportedInvalidate;
};

/** Every name that some kernel version exports and another does not. */
export const VERSIONED_SYMBOL_NAMES: readonly string[] = Object.freeze([
  ...Object.keys(V3_ONLY), ...Object.keys(FINAL_ONLY), V3_STUB,
]);

for (const [name, impl] of Object.entries(DMA_BUF_NS)) {
  if (KERNEL_SYMBOLS.lookup(name) === undefined) EXPORT_SYMBOL_NS_GPL(KERNEL_SYMBOLS, VMLINUX, name, impl, 'DMA_BUF');
}
declareSymbolNames(VERSIONED_SYMBOL_NAMES);

/**
 * A fresh table for a trial's kernel: the merged series (dma_buf_invalidate_mappings), or the v3
 * posting (dma_buf_move_notify and the ib_uverbs-only stub).
 */
export function kernelSymbolsFor(kernel: 'v3' | 'final'): SymbolTable {
  const t = KERNEL_SYMBOLS.clone();
  const own = kernel === 'v3' ? V3_ONLY : FINAL_ONLY;
  for (const [name, impl] of Object.entries(own)) EXPORT_SYMBOL_NS_GPL(t, VMLINUX, name, impl, 'DMA_BUF');
  if (kernel === 'v3') EXPORT_SYMBOL_FOR_MODULES(t, VMLINUX, V3_STUB, attach.unsupportedInvalidate, 'ib_uverbs');
  return t;
}
