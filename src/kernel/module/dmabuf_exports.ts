/**
 * The dma-buf core's exports (drivers/dma-buf/dma-buf.c): every `dma_buf_*` API symbol is
 * EXPORT_SYMBOL_NS_GPL(..., "DMA_BUF"), so importers and exporters outside the core need
 * MODULE_IMPORT_NS("DMA_BUF"). Both spellings of the invalidation call are exported (the v3
 * `dma_buf_move_notify` and the final `dma_buf_invalidate_mappings`, one implementation). The v3
 * posting's `dma_buf_unsupported_invalidate_mappings` exists only in the v3 table, exported
 * EXPORT_SYMBOL_FOR_MODULES(..., "ib_uverbs").
 */
import * as attach from '../dma_buf_attach.js';
import * as buf from '../dma_buf.js';
import * as map from '../dma_buf_map.js';
import * as vmap from '../dma_buf_vmap.js';
import { KERNEL_SYMBOLS } from './kernel_exports.js';
import { EXPORT_SYMBOL_FOR_MODULES, EXPORT_SYMBOL_NS_GPL, VMLINUX, type SymbolImpl, type SymbolTable } from './table.js';

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
  dma_buf_invalidate_mappings: map.dma_buf_invalidate_mappings,
  dma_buf_move_notify: map.dma_buf_move_notify,
  dma_buf_vmap: vmap.dma_buf_vmap,
  dma_buf_vunmap: vmap.dma_buf_vunmap,
  dma_buf_vmap_unlocked: vmap.dma_buf_vmap_unlocked,
  dma_buf_vunmap_unlocked: vmap.dma_buf_vunmap_unlocked,
  dma_buf_mmap: vmap.dma_buf_mmap,
} as const satisfies Readonly<Record<string, SymbolImpl>>;

/** The dma-buf core's exports with their types; the v3-only stub may be absent. */
export type DmaBufSymbols = typeof DMA_BUF_NS & {
  readonly dma_buf_unsupported_invalidate_mappings?: typeof attach.unsupportedInvalidate;
};

for (const [name, impl] of Object.entries(DMA_BUF_NS)) {
  if (KERNEL_SYMBOLS.lookup(name) === undefined) EXPORT_SYMBOL_NS_GPL(KERNEL_SYMBOLS, VMLINUX, name, impl, 'DMA_BUF');
}

/** A fresh table for a trial's kernel: the merged series, or the v3 posting with its ib_uverbs-only stub. */
export function kernelSymbolsFor(kernel: 'v3' | 'final'): SymbolTable {
  const t = KERNEL_SYMBOLS.clone();
  if (kernel === 'v3') {
    EXPORT_SYMBOL_FOR_MODULES(t, VMLINUX, 'dma_buf_unsupported_invalidate_mappings', attach.unsupportedInvalidate, 'ib_uverbs');
  }
  return t;
}
