/**
 * The model's WARN/BUG table: every debug check the model performs has one code here, with the
 * finding kind it reports and a stable title (kind + the function where it happened, + the
 * check's condition where one function holds several checks of a kind). Tests and
 * de-duplication use `code` and `title`, never message prose.
 */
import { HarnessError } from '../errno/errors.js';
import { WARNED_CODES } from '../shm/layout.js';
import { ARG_SPECS } from './warn_args.js';
import { DMA_SPECS } from './warn_dma.js';
import { DMABUF_SPECS } from './warn_dmabuf.js';
import { DRIVER_SPECS } from './warn_drivers.js';
import { FENCE_SPECS } from './warn_fence.js';
import { KREF_SPECS } from './warn_kref.js';
import { LOCK_SPECS } from './warn_lock.js';
import { MODULE_SPECS } from './warn_module.js';
import { RESV_SPECS } from './warn_resv.js';
import { SCHED_SPECS } from './warn_sched.js';
import { SLAB_SPECS } from './warn_slab.js';

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
   * Records that differ only in the object are one finding (task.ts recordFinding): every perPage
   * check, and KASAN's use-after-free on private words — KASAN reports an access once per
   * function and task, so a loop over a freed block is one finding, not one per word.
   */
  readonly anyObject: boolean;
  /**
   * The condition the kernel's report prints (the WARN's or DEBUG_LOCKS_WARN_ON's expression, or
   * lockdep's headline) for checks that share kind and function with another check whose report
   * differs: it goes into the title, so a hunt keeps them as separate findings (CONDITIONS).
   */
  readonly cond?: string;
}

/**
 * Every row, one file per area (warn_<area>.ts), each name defined once. A code is the row's
 * place in this list: it lives only in one process's arena (reports, replay files and titles
 * carry the name), so a row may go into its area anywhere.
 */
const SPECS = [
  ...LOCK_SPECS, ...SCHED_SPECS, ...FENCE_SPECS, ...RESV_SPECS, ...DMABUF_SPECS, ...DMA_SPECS, ...KREF_SPECS,
  ...MODULE_SPECS, ...DRIVER_SPECS, ...ARG_SPECS, ...SLAB_SPECS,
] as const;

export type WarnName = (typeof SPECS)[number][0];

/** The checks that fire per page of a range (WarnSpec.perPage). */
const PER_PAGE: ReadonlySet<string> = new Set<WarnName>([
  'DMA_USE_AFTER_FREE', 'DMA_USE_AFTER_REVOKE', 'DMA_WRITE_NIRVANA', 'DMA_AFTER_UNMAP', 'DMA_BEFORE_MOVE_DONE',
  'REUSE_BEFORE_UNMAP', 'CPU_USE_AFTER_FREE', 'CPU_USE_AFTER_REVOKE',
]);

/** The checks whose records differ only in the object are one finding (WarnSpec.anyObject). */
const ANY_OBJECT: ReadonlySet<string> = new Set<string>([...PER_PAGE, 'PRIV_USE_AFTER_FREE' satisfies WarnName]);

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
  // make_task_dead's note (the oops path; a returning task is do_exit's bare
  // WARN_ON(irqs_disabled()): exit.ts), beside debug_check_no_locks_held's LOCK_HELD_AT_EXIT
  EXITED_IRQS_DISABLED: 'exited with irqs disabled',
  // the model's words, no kernel text: do_exit's WARN_ON, then sleeping in atomic context
  // (before 5.17 the panic "Aiee, killing interrupt handler!"; exit.ts), titled after do_exit
  EXITED_IN_INTERRUPT: 'exit in interrupt context',
  IRQS_ON_IN_HARDIRQ: 'lockdep_hardirq_context()',
  // ww_acquire_fini: DEBUG_LOCKS_WARN_ON(ctx->acquired); a mutex_release of first_lock_dep_map the
  // task does not hold
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
  // __might_resched's headline: a function that may sleep shares its title's function with that
  // function's own checks
  SLEEP_IN_ATOMIC: 'sleeping function called from invalid context',
  LOCK_NEST_NOT_HELD: 'Nested lock was not taken',
  INVALID_WAIT_CONTEXT: 'Invalid wait context',
  // print_usage_bug's "inconsistent {%s} -> {%s} usage." (the bit set before -> the bit set now)
  LOCK_IRQ_INCONSISTENT_ON: 'inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage',
  LOCK_IRQ_INCONSISTENT_IN: 'inconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage',
  LOCK_IRQ_SAFE_UNSAFE: 'HARDIRQ-safe -> HARDIRQ-unsafe lock order detected',
  LOCK_IRQ_INVERSION: 'possible irq lock inversion dependency detected',
  SCHEDULE_WHILE_ATOMIC: 'scheduling while atomic',
  // the watchdog's headline (BUG: soft lockup - CPU#N stuck for Ns!): a loop stuck in a function a
  // hung task's blocked call is named after too (dma_resv_wait_timeout) is another bug than the
  // hang
  SOFT_LOCKUP: 'soft lockup',
  // debug_spin_lock_before's and debug_spin_unlock's SPIN_BUG_ONs: spin_bug's message, "BUG:
  // spinlock <msg> on CPU#N" (recursion shares spin_lock with LOCK_RECURSIVE's site)
  SPIN_RECURSION: 'recursion',
  SPIN_ALREADY_UNLOCKED: 'already unlocked',
  SPIN_WRONG_OWNER: 'wrong owner',
  // KASAN's report headlines for the private words (priv_kasan.ts): titled after any model
  // function, which another check may be titled after too
  PRIV_USE_AFTER_FREE: 'slab-use-after-free',
  PRIV_DOUBLE_FREE: 'double-free',
  PRIV_INVALID_FREE: 'invalid-free',
};

/** Code = index + 1 (0 means "no finding" in the arena). */
export const WARNINGS: readonly WarnSpec[] = SPECS.map(([name, kind, fn, what]) => {
  const cond = CONDITIONS[name];
  return { name, kind, fn, what, perPage: PER_PAGE.has(name), anyObject: ANY_OBJECT.has(name), ...(cond !== undefined ? { cond } : {}) };
});

if (WARNINGS.length > WARNED_CODES) {
  throw new HarnessError('ERR_LAYOUT', `warn.ts: ${WARNINGS.length} warnings but ${WARNED_CODES} WARN_ONCE bits; raise WARNED_WORDS in layout.ts (into its free words)`);
}

const CODES = new Map<string, number>(SPECS.map(([name], i) => [name, i + 1]));
if (CODES.size !== SPECS.length) {
  const twice = SPECS.map(([name]) => name).filter((name, i, all) => all.indexOf(name) !== i);
  throw new HarnessError('ERR_LAYOUT', `warn.ts: check ${twice.join(', ')} defined in more than one area file`);
}

/** The numeric code of a warning, for the arena. */
export function warnCode(name: WarnName): number {
  return CODES.get(name)!;
}

/** The spec of check `name`, undefined for a name this table does not have (one read from a
 *  file). */
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
