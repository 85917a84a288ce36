/**
 * The blocked call a hang is titled after, as the kernel's hung-task report's stack would name it.
 * The rule: the kernel function the caller called that sleeps, as a frame of its own on the stack —
 * not the primitive it sleeps in (wait_for_completion, not its wait_event; dma_resv_wait_timeout,
 * not its dma_fence_wait_timeout; ww_mutex_lock_interruptible, not __mutex_lock), and never a
 * static inline or a macro, which have no frame: dma_resv_lock shows as the ww_mutex_lock it
 * inlines, dma_fence_wait as dma_fence_wait_timeout, and wait_event (a macro) as its caller — a
 * driver's own function that names itself as the site (dma_engine_run), or `wait_event` when the
 * caller names none. Every sleep that can hang names its site this way; WS_PRIMITIVE (the
 * default) leaves the title to the wait kind's primitive (result.ts: wait_event, msleep).
 * Deadlocks keep their primitive's title (result.ts blockedCall), sites or not.
 *
 * A sleep records its site in the actor's wait record (wait.ts block, A_WAIT_SITE); the word is
 * the function's index here, meaningful within one build only (no file records it).
 */

/** Each site's function name, by its word (0: WS_PRIMITIVE). */
const SITES: readonly string[] = [
  '', 'wait_for_completion', 'dma_resv_wait_timeout', 'dma_engine_run', 'dma_fence_wait_timeout',
  // the blocking lock calls (mutex_lock_common.ts lockCommon), plain and interruptible
  'mutex_lock', 'mutex_lock_interruptible', 'mutex_lock_nested', 'mutex_lock_interruptible_nested',
  'ww_mutex_lock', 'ww_mutex_lock_interruptible', 'ww_mutex_lock_slow', 'ww_mutex_lock_slow_interruptible',
  // drivers' own sleeps
  'preempt_fence_worker',
  'dma_fence_wait_any_timeout',
];

export const WS_PRIMITIVE = 0;
export const WS_WAIT_FOR_COMPLETION = 1;
export const WS_DMA_RESV_WAIT_TIMEOUT = 2;
export const WS_DMA_ENGINE_RUN = 3;
export const WS_DMA_FENCE_WAIT_TIMEOUT = 4;
export const WS_PREEMPT_FENCE_WORKER = SITES.indexOf('preempt_fence_worker');
export const WS_DMA_FENCE_WAIT_ANY_TIMEOUT = SITES.indexOf('dma_fence_wait_any_timeout');

/** The function a wait record's site word names; undefined for WS_PRIMITIVE or an unknown word. */
export function waitSiteName(site: number): string | undefined {
  return site === WS_PRIMITIVE ? undefined : SITES[site];
}

/** The site word of function `fn` (one of the lock calls, which pick theirs by name);
 *  WS_PRIMITIVE for a name that is no site. */
export function waitSiteOf(fn: string): number {
  const i = SITES.indexOf(fn);
  return i < 0 ? WS_PRIMITIVE : i;
}
