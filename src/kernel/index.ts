/** The model's kernel API, in kernel spellings. */
export * from './types.js';
export { Task, send_signal, clear_signal, type FenceCallbackFn, type TaskHooks } from './task.js';
export * from './ww_acquire.js';
export * from './ww_mutex.js';
export * from './dma_fence_init.js';
export * from './dma_fence_ref.js';
export * from './dma_fence_signal.js';
export * from './dma_fence_order.js';
export * from './dma_fence_cb.js';
export * from './dma_fence_wait.js';
export { dma_fence_is_array, dma_fence_is_chain, dma_fence_is_container } from './dma_fence_ops.js';
export { dma_fence_ops_register, dma_fence_ops_name, type DmaFenceOps, type DmaFenceOpsId } from './dma_fence_user_ops.js';
export * from './dma_fence_array.js';
export * from './dma_fence_chain.js';
export * from './dma_fence_unwrap.js';
export * from './dma_buf_sync_file.js';
export * from './dma_buf_cpu_access.js';
export * from './dma_fence_deadline.js';
export * from './dma_resv_deadline.js';
export * from './dma_resv_copy.js';
export * from './dma_fence_wait_any.js';
export * from './dma_resv.js';
export * from './dma_resv_query.js';
export {
  dma_resv_iter_begin, dma_resv_iter_end, dma_resv_iter_first_unlocked, dma_resv_iter_is_restarted, dma_resv_iter_next_unlocked,
  dma_resv_iter_usage, type DmaResvIter,
} from './dma_resv_iter.js';
export { kernelBoot } from './boot.js';
export { WARNINGS, warnCode, warnSpec, warnTitle, type FindingKind, type WarnName } from './warn.js';
export * from './dma_buf.js';
export * from './dma_buf_ops.js';
export * from './dma_buf_attach.js';
export * from './dma_buf_map.js';
export * from './dma_buf_vmap.js';
export * from './cpu_mapping.js';
export * from './vm_munmap.js';
export * from './dma_buf_poll.js';
export * from './dma_buf_poll_wait.js';
export * from './priv.js';
export * from './gfp.js';
export { fs_reclaim_acquire, fs_reclaim_release, lock_map_acquire, lock_map_release, might_alloc, might_lock } from './lockdep_map.js';
export { might_sleep } from './might_sleep.js';
export { irq_work_queue } from './irq_work.js';
export {
  SPINLOCK_WORDS, spin_lock_dep as spin_lock, spin_lock_init, spin_lock_irq, spin_lock_irqsave, spin_lock_nest_lock,
  spin_unlock_dep as spin_unlock, spin_unlock_irq, spin_unlock_irqrestore, type SpinNest,
} from './spinlock_lockdep.js';
export { hardirq_enter, hardirq_exit, local_irq_restore, local_irq_save } from './hardirq.js';
export { in_hardirq, irqs_disabled } from './preempt.js';
export * from './kref.js';
export * from './memory.js';
export * from './iommu.js';
export * from './dma_access.js';
export * from './revoke.js';
