/**
 * `KERNEL_SYMBOLS`: the core kernel's export table (owner 'vmlinux'), populated at import time
 * with the model's ww_mutex / mutex / dma_fence / dma_resv / sleep / signal API, all with NO
 * namespace, as the kernel exports them.
 *
 * License tags follow the C sources: `kernel/locking/mutex.c` and `drivers/dma-buf/dma-fence.c`
 * use EXPORT_SYMBOL (mutex.c's mutex_lock_nested EXPORT_SYMBOL_GPL); `drivers/dma-buf/dma-resv.c`
 * uses EXPORT_SYMBOL for init/fini/reserve/add/ replace and the unlocked iterator
 * (dma_resv_iter_first_unlocked / _next_unlocked, behind `dma_resv_for_each_fence_unlocked`;
 * dma_resv_iter_begin / _end / _is_restarted / _usage are dma-resv.h inlines) and EXPORT_SYMBOL_GPL
 * for get_fences, wait_timeout, test_signaled and the locked iterator (dma_resv_iter_first/next,
 * behind `dma_resv_for_each_fence`). Header inlines (dma_resv_lock*, ww_acquire_*,
 * dma_fence_get/put, ...) compile into the caller in the kernel; here they are EXPORT_SYMBOL, i.e.
 * usable by any module. Harness accessors for struct fields (dma_fence_seqno, ww_ctx_stamp, ...)
 * likewise. `send_signal`/`clear_signal` stand for send_sig/flush_signals (EXPORT_SYMBOL).
 *
 * Other core files (the dma-buf core) add their own exports to this table at their import time
 * with the EXPORT_* helpers, e.g. `EXPORT_SYMBOL_NS_GPL(KERNEL_SYMBOLS, VMLINUX, 'dma_buf_get',
 * dma_buf_get, 'DMA_BUF')`. This file imports the kernel's own files (never `kernel/index.ts`)
 * so that such files can import it without an import cycle.
 */
import * as fenceInit from '../dma_fence_init.js';
import * as fenceOrder from '../dma_fence_order.js';
import * as fenceRef from '../dma_fence_ref.js';
import * as fenceSignal from '../dma_fence_signal.js';
import * as fenceCb from '../dma_fence_cb.js';
import * as fenceWait from '../dma_fence_wait.js';
import * as fenceWaitAny from '../dma_fence_wait_any.js';
import * as fenceDeadline from '../dma_fence_deadline.js';
import * as fenceArray from '../dma_fence_array.js';
import * as fenceChain from '../dma_fence_chain.js';
import * as fenceOps from '../dma_fence_ops.js';
import * as fenceUnwrap from '../dma_fence_unwrap.js';
import { irq_work_queue } from '../irq_work.js';
import * as lockdepMap from '../lockdep_map.js';
import { might_sleep } from '../might_sleep.js';
import * as spin from '../spinlock_lockdep.js';
import * as resv from '../dma_resv.js';
import * as resvIter from '../dma_resv_iter.js';
import * as resvQuery from '../dma_resv_query.js';
import * as resvCopy from '../dma_resv_copy.js';
import * as resvDeadline from '../dma_resv_deadline.js';
import { clear_signal, send_signal, type Task } from '../task.js';
import * as acquire from '../ww_acquire.js';
import * as ww from '../ww_mutex.js';
import { EXPORT_SYMBOL, EXPORT_SYMBOL_GPL, SymbolTable, VMLINUX, type SymbolImpl } from './table.js';

/** `dma_resv_usage_rw` is a pure header inline with no task; give it the task-first shape. */
function dma_resv_usage_rw(_t: Task, write: boolean): number {
  return resv.dma_resv_usage_rw(write);
}

/** EXPORT_SYMBOL (any license), no namespace. */
const ANY_LICENSE = {
  // ww_acquire / ww_class (include/linux/ww_mutex.h inlines, DEFINE_WW_CLASS)
  ww_class_init: acquire.ww_class_init,
  ww_acquire_init: acquire.ww_acquire_init,
  ww_acquire_done: acquire.ww_acquire_done,
  ww_acquire_fini: acquire.ww_acquire_fini,
  ww_ctx_stamp: acquire.ww_ctx_stamp,
  ww_ctx_acquired: acquire.ww_ctx_acquired,
  ww_ctx_wounded: acquire.ww_ctx_wounded,
  // kernel/locking/mutex.c: EXPORT_SYMBOL
  ww_mutex_init: ww.ww_mutex_init,
  mutex_init: ww.mutex_init,
  ww_mutex_lock: ww.ww_mutex_lock,
  ww_mutex_lock_interruptible: ww.ww_mutex_lock_interruptible,
  ww_mutex_lock_slow: ww.ww_mutex_lock_slow,
  ww_mutex_lock_slow_interruptible: ww.ww_mutex_lock_slow_interruptible,
  ww_mutex_trylock: ww.ww_mutex_trylock,
  ww_mutex_unlock: ww.ww_mutex_unlock,
  ww_mutex_is_locked: ww.ww_mutex_is_locked,
  ww_mutex_ctx: ww.ww_mutex_ctx,
  mutex_lock: ww.mutex_lock,
  mutex_lock_interruptible: ww.mutex_lock_interruptible,
  mutex_trylock: ww.mutex_trylock,
  mutex_unlock: ww.mutex_unlock,
  mutex_owner: ww.mutex_owner,
  // kernel/locking/spinlock.c's _raw_spin_lock / _raw_spin_unlock / _raw_spin_lock_nest_lock and
  // spinlock_debug.c's __raw_spin_lock_init, behind the spin_* macros, and kernel/sched/core.c's
  // __might_sleep, behind might_sleep(): EXPORT_SYMBOL
  spin_lock_init: spin.spin_lock_init,
  spin_lock: spin.spin_lock_dep,
  spin_unlock: spin.spin_unlock_dep,
  spin_lock_nest_lock: spin.spin_lock_nest_lock,
  // _raw_spin_lock_irqsave / _raw_spin_unlock_irqrestore / _raw_spin_lock_irq /
  // _raw_spin_unlock_irq
  spin_lock_irqsave: spin.spin_lock_irqsave,
  spin_unlock_irqrestore: spin.spin_unlock_irqrestore,
  spin_lock_irq: spin.spin_lock_irq,
  spin_unlock_irq: spin.spin_unlock_irq,
  might_sleep,
  // drivers/dma-buf/dma-fence.c: EXPORT_SYMBOL (+ include/linux/dma-fence.h inlines)
  dma_fence_context_alloc: fenceInit.dma_fence_context_alloc,
  dma_fence_init: fenceInit.dma_fence_init,
  dma_fence_get: fenceRef.dma_fence_get,
  dma_fence_put: fenceRef.dma_fence_put,
  dma_fence_refcount: fenceRef.dma_fence_refcount,
  dma_fence_signal: fenceSignal.dma_fence_signal,
  dma_fence_signal_locked: fenceSignal.dma_fence_signal_locked,
  dma_fence_check_and_signal: fenceSignal.dma_fence_check_and_signal,
  dma_fence_set_error: fenceSignal.dma_fence_set_error,
  dma_fence_get_status: fenceSignal.dma_fence_get_status,
  dma_fence_is_signaled: fenceSignal.dma_fence_is_signaled,
  dma_fence_test_signaled_flag: fenceSignal.dma_fence_test_signaled_flag,
  dma_fence_enable_sw_signaling: fenceSignal.dma_fence_enable_sw_signaling,
  dma_fence_context: fenceOrder.dma_fence_context,
  dma_fence_seqno: fenceOrder.dma_fence_seqno,
  dma_fence_is_later: fenceOrder.dma_fence_is_later,
  dma_fence_is_later_or_same: fenceOrder.dma_fence_is_later_or_same,
  dma_fence_get_stub: fenceRef.dma_fence_get_stub,
  dma_fence_set_signaler: fenceInit.dma_fence_set_signaler,
  dma_fence_begin_signalling: fenceSignal.dma_fence_begin_signalling,
  dma_fence_end_signalling: fenceSignal.dma_fence_end_signalling,
  dma_fence_cb_alloc: fenceCb.dma_fence_cb_alloc,
  dma_fence_cb_arg: fenceCb.dma_fence_cb_arg,
  dma_fence_add_callback: fenceCb.dma_fence_add_callback,
  dma_fence_remove_callback: fenceCb.dma_fence_remove_callback,
  dma_fence_wait_timeout: fenceWait.dma_fence_wait_timeout,
  dma_fence_wait: fenceWait.dma_fence_wait,
  // drivers/dma-buf/dma-fence-array.c, dma-fence-chain.c, dma-fence.c: EXPORT_SYMBOL
  // (+ the dma-fence.h / dma-fence-array.h / dma-fence-chain.h / dma-fence-unwrap.h inlines)
  dma_fence_array_create: fenceArray.dma_fence_array_create,
  dma_fence_array_first: fenceArray.dma_fence_array_first,
  dma_fence_array_next: fenceArray.dma_fence_array_next,
  dma_fence_array_num_fences: fenceArray.dma_fence_array_num_fences,
  dma_fence_match_context: fenceArray.dma_fence_match_context,
  dma_fence_chain_init: fenceChain.dma_fence_chain_init,
  dma_fence_chain_walk: fenceChain.dma_fence_chain_walk,
  dma_fence_chain_find_seqno: fenceChain.dma_fence_chain_find_seqno,
  dma_fence_chain_contained: fenceChain.dma_fence_chain_contained,
  dma_fence_allocate_private_stub: fenceInit.dma_fence_allocate_private_stub,
  dma_fence_is_array: fenceOps.dma_fence_is_array,
  dma_fence_is_chain: fenceOps.dma_fence_is_chain,
  dma_fence_is_container: fenceOps.dma_fence_is_container,
  dma_fence_unwrap_cursor: fenceUnwrap.dma_fence_unwrap_cursor,
  // kernel/time/sleep_timeout.c, kernel/sched/core.c (__cond_resched), kernel/signal.c
  msleep: fenceWait.msleep,
  usleep_range: fenceWait.usleep_range,
  cond_resched: fenceWait.cond_resched,
  send_signal,
  clear_signal,
  // drivers/dma-buf/dma-resv.c: EXPORT_SYMBOL (+ include/linux/dma-resv.h inlines)
  dma_resv_usage_rw,
  dma_resv_init: resv.dma_resv_init,
  dma_resv_fini: resv.dma_resv_fini,
  dma_resv_mutex: resv.dma_resv_mutex,
  dma_resv_lock: resv.dma_resv_lock,
  dma_resv_lock_interruptible: resv.dma_resv_lock_interruptible,
  dma_resv_lock_slow: resv.dma_resv_lock_slow,
  dma_resv_lock_slow_interruptible: resv.dma_resv_lock_slow_interruptible,
  dma_resv_trylock: resv.dma_resv_trylock,
  dma_resv_unlock: resv.dma_resv_unlock,
  dma_resv_is_locked: resv.dma_resv_is_locked,
  dma_resv_locking_ctx: resv.dma_resv_locking_ctx,
  dma_resv_held: resv.dma_resv_held,
  dma_resv_assert_held: resv.dma_resv_assert_held,
  dma_resv_reserve_fences: resv.dma_resv_reserve_fences,
  dma_resv_add_fence: resv.dma_resv_add_fence,
  dma_resv_replace_fences: resv.dma_resv_replace_fences,
  dma_resv_iter_first_unlocked: resvIter.dma_resv_iter_first_unlocked,
  dma_resv_iter_next_unlocked: resvIter.dma_resv_iter_next_unlocked,
  dma_resv_iter_begin: resvIter.dma_resv_iter_begin,
  dma_resv_iter_end: resvIter.dma_resv_iter_end,
  dma_resv_iter_is_restarted: resvIter.dma_resv_iter_is_restarted,
  dma_resv_iter_usage: resvIter.dma_resv_iter_usage,
  // dma-fence.c and dma-resv.c: EXPORT_SYMBOL (the wait for any, the deadline hint, the copy)
  dma_fence_wait_any_timeout: fenceWaitAny.dma_fence_wait_any_timeout,
  dma_fence_set_deadline: fenceDeadline.dma_fence_set_deadline,
  dma_resv_copy_fences: resvCopy.dma_resv_copy_fences,
} as const satisfies Readonly<Record<string, SymbolImpl>>;

/**
 * EXPORT_SYMBOL_GPL, no namespace: kernel/locking/mutex.c's lockdep variants (mutex_lock_nested,
 * under CONFIG_DEBUG_LOCK_ALLOC), drivers/dma-buf/dma-resv.c's readers (and get_singleton),
 * drivers/dma-buf/dma-fence-unwrap.c, and the lockdep annotations: mm/page_alloc.c's
 * fs_reclaim_acquire / fs_reclaim_release (EXPORT_SYMBOL_GPL), and lock_map_acquire /
 * lock_map_release / might_lock / might_alloc, header macros and inlines that compile into calls
 * of kernel/locking/lockdep.c's lock_acquire / lock_release (EXPORT_SYMBOL_GPL) or of
 * fs_reclaim_acquire — so a module without a GPL-compatible license cannot use them in the kernel
 * either.
 */
const GPL_ONLY = {
  mutex_lock_nested: ww.mutex_lock_nested,
  lock_map_acquire: lockdepMap.lock_map_acquire,
  lock_map_release: lockdepMap.lock_map_release,
  might_lock: lockdepMap.might_lock,
  might_alloc: lockdepMap.might_alloc,
  fs_reclaim_acquire: lockdepMap.fs_reclaim_acquire,
  fs_reclaim_release: lockdepMap.fs_reclaim_release,
  // kernel/irq_work.c: EXPORT_SYMBOL_GPL
  irq_work_queue,
  dma_resv_for_each_fence: resvQuery.dma_resv_for_each_fence,
  dma_resv_get_fences: resvQuery.dma_resv_get_fences,
  dma_resv_test_signaled: resvQuery.dma_resv_test_signaled,
  dma_resv_wait_timeout: resvQuery.dma_resv_wait_timeout,
  dma_resv_get_singleton: resvQuery.dma_resv_get_singleton,
  dma_resv_set_deadline: resvDeadline.dma_resv_set_deadline,
  // drivers/dma-buf/dma-fence-unwrap.c: EXPORT_SYMBOL_GPL (the for_each and merge macros expand to
  // them)
  dma_fence_unwrap_first: fenceUnwrap.dma_fence_unwrap_first,
  dma_fence_unwrap_next: fenceUnwrap.dma_fence_unwrap_next,
  dma_fence_unwrap_for_each: fenceUnwrap.dma_fence_unwrap_for_each,
  dma_fence_unwrap_merge: fenceUnwrap.dma_fence_unwrap_merge,
  dma_fence_dedup_array: fenceUnwrap.dma_fence_dedup_array,
} as const satisfies Readonly<Record<string, SymbolImpl>>;

/** The core's exports with their types (a module's table is typed from this; see api.ts). */
export type CoreSymbols = typeof ANY_LICENSE & typeof GPL_ONLY;

/** The core kernel's symbol table (owner 'vmlinux'). */
export const KERNEL_SYMBOLS = new SymbolTable();

for (const [name, impl] of Object.entries(ANY_LICENSE)) EXPORT_SYMBOL(KERNEL_SYMBOLS, VMLINUX, name, impl);
for (const [name, impl] of Object.entries(GPL_ONLY)) EXPORT_SYMBOL_GPL(KERNEL_SYMBOLS, VMLINUX, name, impl);

/**
 * Runs `fn(KERNEL_SYMBOLS)` now: a hook for core files that export more symbols at import
 * time, e.g. `registerKernelSymbols((t) => EXPORT_SYMBOL_NS_GPL(t, VMLINUX, ...))`.
 */
export function registerKernelSymbols(fn: (table: SymbolTable) => void): void {
  fn(KERNEL_SYMBOLS);
}
