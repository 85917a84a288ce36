/**
 * The model's WARN/BUG table: every debug check the model performs has one code here, with the
 * finding kind it reports and a stable title (kind + the function where it happened, + the
 * check's condition where one function holds several checks of a kind). Tests and
 * de-duplication use `code` and `title`, never message prose.
 */
import { HarnessError } from '../errno/errors.js';
import { WARNED_CODES } from '../shm/layout.js';
import { ARG_SPECS } from './warn_args.js';
import { DMABUF_SPECS } from './warn_dmabuf.js';
import { DRIVER_SPECS } from './warn_drivers.js';

/** Every kind of finding, as reports and a scenario's `expect` name them. */
export const FINDING_KINDS = [
  'use-after-free', 'use-after-revoke', 'use-after-remove', 'dma-after-unmap', 'deadlock',
  'hang', 'circular-locking', 'lock-not-held', 'refcount-underflow', 'leak', 'fence-order',
  'fence-slot', 'module-load', 'assertion', 'crash',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface WarnSpec {
  readonly name: string;
  readonly kind: FindingKind;
  /** The kernel function in which the check fires. */
  readonly fn: string;
  /** What went wrong, phrased as the misuse. */
  readonly what: string;
  /**
   * The check runs once per page (or DMA address) of a range, so one bug fires it for every page
   * of a mapping: records that differ only in the object are one finding (task.ts recordFinding),
   * and its aux words — who mapped, freed or revoked, and when — tell findings apart instead.
   */
  readonly perPage: boolean;
  /**
   * The condition the kernel's report prints (the WARN's or DEBUG_LOCKS_WARN_ON's expression, or
   * lockdep's headline) for checks that share kind and function with another check whose report
   * differs: it goes into the title, so a hunt keeps them as separate findings (CONDITIONS).
   */
  readonly cond?: string;
}

const CORE_SPECS = [
  ['WW_SLOW_NO_EDEADLK', 'assertion', 'ww_mutex_lock_slow', 'slow-path lock without a prior -EDEADLK'],
  ['WW_WRONG_LOCK_AFTER_EDEADLK', 'assertion', 'ww_mutex_lock', 'acquired another ww_mutex than the one that returned -EDEADLK'],
  ['WW_HOLDING_AFTER_EDEADLK', 'assertion', 'ww_mutex_lock', 'locked after -EDEADLK without releasing every lock of the context'],
  ['WW_EDEADLK_AGAIN', 'assertion', 'ww_mutex_lock', '-EDEADLK again before backing off: the context still has a contended lock'],
  ['WW_CLASS_MISMATCH', 'assertion', 'ww_mutex_lock', 'acquire context of another ww_class than the mutex'],
  ['WW_LOCK_AFTER_DONE', 'assertion', 'ww_mutex_lock', 'locking with a context after ww_acquire_done'],
  ['WW_DONE_TWICE', 'assertion', 'ww_acquire_done', 'ww_acquire_done called twice'],
  ['WW_FINI_HELD', 'assertion', 'ww_acquire_fini', 'acquire context finished with locks held'],
  ['WW_FINI_TWICE', 'assertion', 'ww_acquire_fini', 'acquire context finished twice, or by a task that does not own it'],
  ['WW_CTX_STALE', 'assertion', 'ww_mutex_lock', 'locking with an acquire context the task does not hold: finished, or another task\'s'],
  ['WW_TWO_CONTEXTS', 'assertion', 'ww_acquire_init', 'second acquire context of the same class in one task'],
  ['LOCK_RECURSIVE', 'assertion', 'ww_mutex_lock', 'possible recursive locking: blocking on a lock class (and subclass) the task already holds, with no acquire context nesting both'],
  ['UNLOCK_NOT_HELD', 'assertion', 'mutex_unlock', 'bad unlock balance: unlocking a mutex the task does not hold'],
  ['WW_UNLOCK_UNBALANCED', 'assertion', 'ww_mutex_unlock', 'unlock with the context holding no locks'],
  ['RESV_NOT_HELD', 'lock-not-held', 'dma_resv_assert_held', 'reservation lock not held by the caller'],
  ['RESV_ADD_NO_SLOT', 'fence-slot', 'dma_resv_add_fence', 'fence added without a reserved slot'],
  ['RESV_FENCE_ORDER', 'fence-order', 'dma_resv_add_fence', 'fence of a context replaced by an earlier one'],
  ['RESV_ADD_CONTAINER', 'assertion', 'dma_resv_add_fence', 'WARN_ON(dma_fence_is_container(fence)): a container fence added to a reservation object (add each leaf)'],
  ['FENCE_ERROR_SIGNALED', 'assertion', 'dma_fence_set_error', 'error set on an already signaled fence'],
  ['FENCE_ERROR_RANGE', 'assertion', 'dma_fence_set_error', 'error is not a negative errno'],
  ['FENCE_RELEASE_PENDING', 'refcount-underflow', 'dma_fence_release', 'fence released with pending signals'],
  ['FENCE_LOCK_NOT_HELD', 'lock-not-held', 'dma_fence_signal_locked', 'lockdep_assert_held(fence->lock): signalling with the fence lock not held'],
  ['FENCE_PUT_UNDERFLOW', 'refcount-underflow', 'dma_fence_put', 'fence reference count below zero'],
  ['FENCE_LATER_CONTEXT', 'assertion', 'dma_fence_is_later', 'WARN_ON(f1->context != f2->context): comparing fences of different contexts'],
  ['FENCE_WAIT_NEGATIVE', 'assertion', 'dma_fence_wait_timeout', 'negative timeout'],
  ['USLEEP_RANGE_INVERTED', 'assertion', 'usleep_range_state', 'WARN_ON_ONCE(max < min): maximum sleep below the minimum (the sleep lasts min, without slack)'],
  ['FENCE_CB_NULL', 'assertion', 'dma_fence_add_callback', 'WARN_ON(!func): callback function is NULL (no entry in the callback table)'],
  ['LOCK_HELD_AT_EXIT', 'leak', 'do_exit', 'task exited with locks held'],
  ['SPINLOCK_LOCKUP', 'hang', 'spin_lock', 'spinlock lockup suspected'],
  ['RESV_RESERVE_ZERO', 'assertion', 'dma_resv_reserve_fences', 'reserving zero fence slots'],
  ['FENCE_GET_RELEASED', 'use-after-free', 'dma_fence_get', 'reference taken on a released fence'],
  ['DMABUF_EXPORT_INVALID', 'assertion', 'dma_buf_export', 'export without priv or ops, or with ops lacking map_dma_buf, unmap_dma_buf or release'],
  ['DMABUF_ATTACH_NO_INVALIDATE', 'assertion', 'dma_buf_dynamic_attach', 'importer ops without invalidate_mappings (v3)'],
  ['DMABUF_PIN_STATIC', 'assertion', 'dma_buf_pin', 'pinning a static attachment'],
  ['DMABUF_UNPIN_UNDERFLOW', 'refcount-underflow', 'dma_buf_unpin', 'unpin without a pin'],
  ['DMABUF_UNMAP_UNDERFLOW', 'refcount-underflow', 'dma_buf_unmap_attachment', 'unmap without a mapping'],
  ['DMABUF_PIN_EBUSY', 'assertion', 'dma_buf_map_attachment', 'exporter refused to pin (-EBUSY) despite attachments'],
  ['DMABUF_DETACH_PINNED', 'leak', 'dma_buf_detach', 'detach with the attachment still pinned'],
  ['DMABUF_DETACH_MAPPED', 'leak', 'dma_buf_detach', 'detach with a live mapping'],
  ['DMABUF_DETACH_MISMATCH', 'assertion', 'dma_buf_detach', 'attachment of another dma-buf'],
  ['DMABUF_RELEASE_ATTACHED', 'leak', 'dma_buf_release', 'dma-buf released with attachments'],
  ['DMABUF_RELEASE_VMAPPED', 'assertion', 'dma_buf_release', 'dma-buf released while vmapped'],
  ['DMABUF_PUT_UNDERFLOW', 'refcount-underflow', 'dma_buf_put', 'dma-buf file reference count below zero'],
  ['KREF_GET_ZERO', 'refcount-underflow', 'kref_get', 'refcount_t: addition on 0; use-after-free'],
  ['KREF_PUT_UNDERFLOW', 'refcount-underflow', 'kref_put', 'refcount_t: underflow; use-after-free'],
  ['DMA_USE_AFTER_FREE', 'use-after-free', 'dma_engine_access', 'device access to a page freed or reused since it was mapped'],
  ['DMA_USE_AFTER_REVOKE', 'use-after-revoke', 'dma_engine_access', 'device access after the exporter completed revoke'],
  ['DMA_WRITE_NIRVANA', 'use-after-revoke', 'dma_engine_access', 'device write through a mapping redirected to the nirvana page'],
  ['DMA_AFTER_UNMAP', 'dma-after-unmap', 'dma_engine_access', 'device access through a DMA address already unmapped (IOMMU fault)'],
  ['DMA_USE_AFTER_REMOVE', 'use-after-remove', 'dma_unmap_sg', 'DMA-API call on a device already removed'],
  ['REVOKE_FENCES_PENDING', 'assertion', 'revoke_complete', 'revoke returned with unsignaled fences in the reservation object'],
  // Fires in phys_replace (any exporter's reuse), titled after the exporter function the caller
  // names (VFIO: vfio_pci_try_reset_function), or after phys_replace when it names none.
  ['REUSE_BEFORE_UNMAP', 'use-after-free', 'phys_replace', 'exporter reused device memory still mapped by an importer'],
  ['REMOVE_WITH_MAPPINGS', 'use-after-remove', 'device_remove', 'remove() returned with importer mappings still live'],
  ['DMABUF_UNSUPPORTED_INVALIDATE', 'assertion', 'dma_buf_unsupported_invalidate_mappings', 'invalidate callback should not be called when memory is pinned'],
  ['LOCKDEP_CIRCULAR', 'circular-locking', 'lock_acquire', 'possible circular locking dependency detected'],
  ['FENCE_USE_AFTER_FREE', 'use-after-free', 'dma_fence_signal', 'fence used through a handle kept past its release'],
  ['LOCK_NOT_HELD', 'lock-not-held', 'lockdep_assert_held', 'lock not held by the caller'],
  ['DMA_BEFORE_MOVE_DONE', 'use-after-free', 'dma_engine_access', 'device access to a page a pipelined move is still copying into (its KERNEL move fence is unsignaled)'],
  ['DMA_UNMAP_UNMAPPED', 'dma-after-unmap', 'dma_unmap_sg', 'DMA-API: device driver tries to free DMA memory it has not allocated (unmapped already, or never mapped)'],
  ['PAGE_BAD_FREE', 'use-after-free', 'phys_free', 'double-free or invalid-free: the page is free or quarantined already, the nirvana page, or not in the page table'],
  ['FENCE_CB_PENDING', 'assertion', 'dma_fence_add_callback', 'callback node still pending on a fence (registered on two fences, or twice)'],
  ['DMABUF_VUNMAP_UNDERFLOW', 'refcount-underflow', 'dma_buf_vunmap', 'vunmap without a vmap (vmapping_counter is 0)'],
  ['DMABUF_UNPIN_STATIC', 'assertion', 'dma_buf_unpin', 'unpinning a static attachment'],
  ['DMABUF_GET_RELEASED', 'use-after-free', 'dma_buf_get', 'refcount_t: addition on 0; use-after-free (file reference taken on a released dma-buf)'],
  ['DMABUF_USE_AFTER_FREE', 'use-after-free', 'dma_buf_dynamic_attach', 'dma-buf used after its last file reference was dropped'],
  ['DMABUF_ATTACH_USE_AFTER_FREE', 'use-after-free', 'dma_buf_detach', 'attachment used after dma_buf_detach unlinked and freed it'],
  ['RESV_FINI_LOCKED', 'assertion', 'mutex_destroy', 'DEBUG_LOCKS_WARN_ON(mutex_is_locked(lock)): reservation object finished while locked'],
  ['RESV_USE_AFTER_FINI', 'use-after-free', 'dma_resv_lock', 'reservation object used after dma_resv_fini'],
  ['PAGE_BAD_MOVE', 'use-after-free', 'phys_move_begin', 'pipelined move into a page the buffer does not own: free or quarantined (freed), already moving, the nirvana page, or not in the page table'],
  ['FENCE_CB_NO_FENCE', 'assertion', 'dma_fence_add_callback', 'WARN_ON(!fence): callback added to a NULL fence'],
  ['KREF_GET_SATURATED', 'leak', 'kref_get', 'refcount_t: saturated; leaking memory (get on a count an earlier misuse saturated)'],
  ['FENCE_GET_SATURATED', 'leak', 'dma_fence_get', 'refcount_t: saturated; leaking memory (get on a fence whose count an earlier misuse saturated)'],
  ['FENCE_GET_RCU_SATURATED', 'leak', 'dma_fence_get_rcu', 'refcount_t: saturated; leaking memory (kref_get_unless_zero on a saturated count)'],
  ['MODULE_PUT_UNDERFLOW', 'refcount-underflow', 'module_put', 'Failed to put refcount: module_put on a module whose count is already 0 (puts outnumber gets by two, or the module is gone)'],
  ['MODULE_RELEASE_UNDERFLOW', 'refcount-underflow', 'try_release_module_ref', 'BUG_ON(ret < 0): delete_module of a module whose MODULE_REF_BASE an unbalanced module_put dropped'],
  // Titled after the module (the finding's site: `use-after-free in <module>`), not a function —
  // a deliberate exception to "kind + function". The kernel's own report cannot name one: the
  // faulting RIP is in freed module memory, so the oops prints a bare address and "[last
  // unloaded: <module>]". The model sees the fault at the module's entry (this_module.ts
  // `symbols`), which knows the module but not which of its functions was called, so the module
  // is the one name both have; stale pointers into one module's text are one bug to de-duplicate.
  ['MODULE_TEXT_FREED', 'use-after-free', 'module_text', 'code of a deleted module still runs (a stale function pointer or ops table): its text is freed'],
  ['SYMBOL_PUT_UNKNOWN', 'assertion', '__symbol_put', 'BUG_ON(!find_symbol(&fsa)): __symbol_put of a name neither the core nor a live module exports'],
  ['DMABUF_GET_SATURATED', 'leak', 'dma_buf_get', 'refcount_t: saturated; leaking memory (file reference taken on a dma-buf whose count an earlier misuse saturated)'],
  // The watchdog's report names the function the CPU is stuck in (syzbot: "BUG: soft lockup in
  // <fn>"): the looping caller is the site, so each stuck loop is its own finding.
  ['SOFT_LOCKUP', 'hang', 'watchdog_timer_fn', 'BUG: soft lockup: a retry or busy-wait loop whose exit condition never comes (a writer or a DMA burst that never finishes)'],
  ['MUTEX_UNLOCK_NOT_OWNER', 'assertion', '__mutex_unlock_slowpath', 'DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current): unlocking a mutex the task locked, which another task\'s unlock released meanwhile (it is free, or a third task holds it)'],
  ['WW_CTX_STILL_SET', 'assertion', 'ww_mutex_lock', 'acquired a ww_mutex whose ww->ctx is still set: it was released with mutex_unlock, not ww_mutex_unlock'],
  ['FENCE_CONTEXT_ALLOC_ZERO', 'assertion', 'dma_fence_context_alloc', 'WARN_ON(!num): zero fence contexts allocated (the returned context is the next caller\'s too)'],
  ['FENCE_ARRAY_EMPTY', 'assertion', 'dma_fence_array_init', 'WARN_ON(!num_fences || !fences): a fence array of no fences'],
  ['FENCE_ARRAY_CONTAINER', 'assertion', 'dma_fence_array_init', 'WARN_ON(dma_fence_is_container()): a container inside a fence array (flatten it first)'],
  ['DMABUF_VMAP_FAILED', 'assertion', 'dma_buf_vmap', 'WARN_ON_ONCE(ret): the exporter\'s vmap failed'],
  // Not a check the kernel makes: its dma_fence_remove_callback tests the node alone and list_del_init's
  // it from whatever list it is on, under the passed fence's lock — a data race on the other fence's
  // list that KCSAN (or DEBUG_LIST, once it corrupts the list) would report.
  ['FENCE_CB_REMOVE_OTHER', 'assertion', 'dma_fence_remove_callback', 'callback removed through a fence it is not armed on: the node is unlinked from the other fence\'s list under the wrong fence\'s lock'],
  ['RESV_ADD_NO_LIST', 'crash', 'dma_resv_add_fence', 'BUG: kernel NULL pointer dereference: fence added to a reservation object that never had a fence list (no dma_resv_reserve_fences since dma_resv_init)'],
  ['DMABUF_EXPORT_PIN_UNPIN', 'assertion', 'dma_buf_export', 'exporter ops have only one of pin/unpin'],
  ['FENCE_CHAIN_NESTED', 'assertion', 'dma_fence_chain_init', 'WARN_ON(dma_fence_is_chain(fence)): a chain node as the fence of another node (chain through prev, or flatten into an array)'],
  ['RESV_WAIT_ZERO_SLEEPS', 'assertion', 'dma_resv_wait_timeout', 'a zero-timeout wait sleeps on an unsignaled fence: timeout 0 must only test the fences (0 if any is unsignaled)'],
  // Titled after the function that may sleep (the might_sleep call site), not might_sleep itself.
  ['SLEEP_IN_ATOMIC', 'assertion', 'might_sleep', 'BUG: sleeping function called from invalid context: a function that may sleep called while the task holds a spinlock (in_atomic(): inside a fence callback, under the fence lock)'],
  ['LOCK_NEST_NOT_HELD', 'assertion', 'spin_lock_nest_lock', 'lockdep: a lock taken with a nest_lock the task does not hold (print_lock_nested_lock_not_held)'],
  // Titled after the blocking lock call (check_wait_context's acquisition), as SLEEP_IN_ATOMIC is.
  // Titled after the call that schedules (msleep, usleep_range): schedule_debug.ts.
  ['SCHEDULE_WHILE_ATOMIC', 'assertion', 'schedule', 'BUG: scheduling while atomic: a call that schedules without might_sleep (msleep, usleep_range) made while the task holds a spinlock'],
  ['INVALID_WAIT_CONTEXT', 'assertion', 'mutex_lock', 'lockdep: BUG: Invalid wait context — a sleeping lock (mutex, ww_mutex) acquired while the task holds a spinlock (check_wait_context: LD_WAIT_SLEEP inside LD_WAIT_CONFIG)'],
] as const;

/** Code order: the core rows, then the areas kept in files of their own. */
const SPECS = [...CORE_SPECS, ...DRIVER_SPECS, ...ARG_SPECS, ...DMABUF_SPECS] as const;

export type WarnName = (typeof SPECS)[number][0];

/** The checks that fire per page of a range (WarnSpec.perPage). */
const PER_PAGE: ReadonlySet<string> = new Set<WarnName>([
  'DMA_USE_AFTER_FREE', 'DMA_USE_AFTER_REVOKE', 'DMA_WRITE_NIRVANA', 'DMA_AFTER_UNMAP', 'DMA_BEFORE_MOVE_DONE',
  'REUSE_BEFORE_UNMAP',
]);

/**
 * Checks that share their kind and function with another check the kernel reports differently:
 * the condition its report prints (WarnSpec.cond). In the kernel these are separate WARN lines
 * (file:line and expression) or separate reports (lockdep's headline, kmemleak's object), so two
 * of them are two bugs. Not here: the device-access checks (dma_engine_access), which are
 * KASAN-style reports, and KASAN titles a report by access kind and function only.
 */
const CONDITIONS: Readonly<Partial<Record<WarnName, string>>> = {
  // ww_mutex_lock_acquired's and __ww_mutex_kill's DEBUG_LOCKS_WARN_ONs; lockdep's reports
  WW_WRONG_LOCK_AFTER_EDEADLK: 'ww_ctx->contending_lock != ww',
  WW_HOLDING_AFTER_EDEADLK: 'ww_ctx->acquired > 0',
  WW_EDEADLK_AGAIN: 'ctx->contending_lock',
  WW_CLASS_MISMATCH: 'ww_ctx->ww_class != ww->ww_class',
  WW_LOCK_AFTER_DONE: 'ww_ctx->done_acquire',
  WW_CTX_STALE: 'Nested lock was not taken',
  WW_CTX_STILL_SET: 'ww->ctx',
  LOCK_RECURSIVE: 'possible recursive locking detected',
  // ww_acquire_fini: DEBUG_LOCKS_WARN_ON(ctx->acquired); a mutex_release of first_lock_dep_map the task does not hold
  WW_FINI_HELD: 'ctx->acquired',
  WW_FINI_TWICE: 'bad unlock balance detected',
  // dma_fence_set_error's two WARN_ONs
  FENCE_ERROR_SIGNALED: 'dma_fence_test_signaled_flag(fence)',
  FENCE_ERROR_RANGE: 'error >= 0 || error < -MAX_ERRNO',
  // dma_fence_add_callback: WARN_ON(!fence || !func), and the node's list_add while it is on a list
  FENCE_CB_NO_FENCE: '!fence',
  FENCE_CB_NULL: '!func',
  FENCE_CB_PENDING: '!list_empty(&cb->node)',
  // dma_fence_array_init's two WARN_ONs
  FENCE_ARRAY_EMPTY: '!num_fences || !fences',
  FENCE_ARRAY_CONTAINER: 'dma_fence_is_container(fences[num_fences])',
  // dma_buf_export's two WARN_ONs
  DMABUF_EXPORT_INVALID: '!exp_info->priv || !exp_info->ops || !exp_info->ops->map_dma_buf || !exp_info->ops->unmap_dma_buf || !exp_info->ops->release',
  DMABUF_EXPORT_PIN_UNPIN: '!exp_info->ops->pin != !exp_info->ops->unpin',
  // what the detached attachment still holds (kmemleak: the mapping's sg_table; the exporter's pin)
  DMABUF_DETACH_PINNED: 'attachment still pinned',
  DMABUF_DETACH_MAPPED: 'attachment still mapped',
  // dma_buf_release's second BUG_ON (the first, the vmap count's, keeps its bare title)
  DMABUF_RELEASE_POLL_ACTIVE: 'dmabuf->cb_in.active || dmabuf->cb_out.active',
  // __might_resched's headline: a function that may sleep shares its title's function with that function's own checks
  SLEEP_IN_ATOMIC: 'sleeping function called from invalid context',
  LOCK_NEST_NOT_HELD: 'Nested lock was not taken',
  INVALID_WAIT_CONTEXT: 'Invalid wait context',
  SCHEDULE_WHILE_ATOMIC: 'scheduling while atomic',
  // the watchdog's headline (BUG: soft lockup - CPU#N stuck for Ns!): a loop stuck in a function a
  // hung task's blocked call is named after too (dma_resv_wait_timeout) is another bug than the hang
  SOFT_LOCKUP: 'soft lockup',
};

/** Code = index + 1 (0 means "no finding" in the arena). */
export const WARNINGS: readonly WarnSpec[] = SPECS.map(([name, kind, fn, what]) => {
  const cond = CONDITIONS[name];
  return { name, kind, fn, what, perPage: PER_PAGE.has(name), ...(cond !== undefined ? { cond } : {}) };
});

if (WARNINGS.length > WARNED_CODES) {
  throw new HarnessError('ERR_LAYOUT', `warn.ts: ${WARNINGS.length} warnings but ${WARNED_CODES} WARN_ONCE bits; raise WARNED_WORDS in layout.ts (into its free words)`);
}

const CODES = new Map<string, number>(SPECS.map(([name], i) => [name, i + 1]));

/** The numeric code of a warning, for the arena. */
export function warnCode(name: WarnName): number {
  return CODES.get(name)!;
}

/** The spec of check `name`, undefined for a name this table does not have (one read from a file). */
export function warnSpecNamed(name: string): WarnSpec | undefined {
  return warnSpec(CODES.get(name) ?? 0);
}

/** The spec of a code recorded in the arena, undefined for an unknown code. */
export function warnSpec(code: number): WarnSpec | undefined {
  return WARNINGS[code - 1];
}

/**
 * Stable title: kind plus function — the check's own, or the call site `fn` it fired for — plus
 * its condition when it has one: `assertion in ww_mutex_lock_slow`,
 * `assertion in dma_fence_add_callback (!func)`.
 */
export function warnTitle(spec: WarnSpec, fn = spec.fn): string {
  return spec.cond === undefined ? bareTitle(spec, fn) : `${bareTitle(spec, fn)} (${spec.cond})`;
}

/** Kind plus function, without the condition: every title before conditions (former_titles.ts). */
export function bareTitle(spec: WarnSpec, fn: string): string {
  return `${spec.kind} in ${fn}`;
}

/**
 * Thrown by the model for a kernel BUG(): the task cannot continue. Only executors catch it and
 * end the trial with the finding already recorded.
 */
export class KernelOops extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`kernel BUG: ${warnSpec(code)?.what ?? code}`);
    this.name = 'KernelOops';
    this.code = code;
  }
}

/**
 * Call sites for checks that fire on behalf of a caller (`dma_resv_assert_held` reports the
 * function that required the lock). A finding stores the site as a stable 31-bit hash of the
 * function name, so every thread computes the same id; names are kept in a per-thread registry
 * that worker threads report back (siteEntries / registerSites). Site 0 = the check's own function.
 */
const SITE_NAMES = new Map<number, string>();

/** The stable id of call-site name `fn` (registering the name in this thread). */
export function siteId(fn: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < fn.length; i++) h = Math.imul(h ^ fn.charCodeAt(i), 0x01000193);
  const id = (h >>> 1) | 1;
  SITE_NAMES.set(id, fn);
  return id;
}

/** The name of site `id`, or '' when this thread has not seen it. */
export function siteName(id: number): string {
  return SITE_NAMES.get(id) ?? '';
}

/** Every site this thread has seen, to send to another thread. */
export function siteEntries(): [number, string][] {
  return [...SITE_NAMES];
}

/** Learn site names seen by another thread. */
export function registerSites(entries: readonly (readonly [number, string])[]): void {
  for (const [id, fn] of entries) SITE_NAMES.set(id, fn);
}
