/**
 * The WARN/BUG table's (warn.ts) dma_resv rows: its lock, fence slots and their order, zero-timeout
 * waits, and use after dma_resv_fini.
 */
export const RESV_SPECS = [
  ['RESV_NOT_HELD', 'lock-not-held', 'dma_resv_assert_held', 'reservation lock not held by the caller'],
  ['RESV_RESERVE_ZERO', 'assertion', 'dma_resv_reserve_fences', 'reserving zero fence slots'],
  ['RESV_ADD_NO_SLOT', 'fence-slot', 'dma_resv_add_fence', 'fence added without a reserved slot'],
  ['RESV_ADD_NO_LIST', 'crash', 'dma_resv_add_fence', 'BUG: kernel NULL pointer dereference: fence added to a reservation object that never had a fence list (no dma_resv_reserve_fences since dma_resv_init)'],
  ['RESV_ADD_CONTAINER', 'assertion', 'dma_resv_add_fence', 'WARN_ON(dma_fence_is_container(fence)): a container fence added to a reservation object (add each leaf)'],
  ['RESV_FENCE_ORDER', 'fence-order', 'dma_resv_add_fence', 'fence of a context replaced by an earlier one'],
  ['RESV_WAIT_ZERO_SLEEPS', 'assertion', 'dma_resv_wait_timeout', 'a zero-timeout wait sleeps on an unsignaled fence: timeout 0 must only test the fences (0 if any is unsignaled)'],
  ['RESV_FINI_LOCKED', 'assertion', 'mutex_destroy', 'DEBUG_LOCKS_WARN_ON(mutex_is_locked(lock)): reservation object finished while locked'],
  ['RESV_USE_AFTER_FINI', 'use-after-free', 'dma_resv_lock', 'reservation object used after dma_resv_fini'],
] as const;
