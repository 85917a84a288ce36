/**
 * `KernelApi`: every symbol the kernel exports, with its type — what a module's code types its
 * table with (`moduleRef<KernelApi>(...)`), so tsc checks each call's arguments. At run time a
 * table holds only the symbols the module resolved; a symbol only some kernels export (the v3
 * `dma_buf_unsupported_invalidate_mappings`) is optional here.
 */
import type { DmaBufPollSymbols, DmaBufSymbols } from './dmabuf_exports.js';
import type { CoreSymbols } from './kernel_exports.js';

export type KernelApi = CoreSymbols & DmaBufSymbols & DmaBufPollSymbols;
