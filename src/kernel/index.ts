/** The model's kernel API, in kernel spellings. */
export * from './types.js';
export { Task, send_signal, clear_signal, type FenceCallbackFn, type TaskHooks } from './task.js';
export * from './ww_acquire.js';
export * from './ww_mutex.js';
export * from './dma_fence.js';
export * from './dma_fence_cb.js';
export * from './dma_fence_wait.js';
export * from './dma_resv.js';
export * from './dma_resv_query.js';
export { kernelBoot } from './boot.js';
export { WARNINGS, warnCode, warnSpec, warnTitle, type FindingKind, type WarnName } from './warn.js';
export * from './dma_buf.js';
export * from './dma_buf_ops.js';
export * from './dma_buf_attach.js';
export * from './dma_buf_map.js';
export * from './dma_buf_vmap.js';
