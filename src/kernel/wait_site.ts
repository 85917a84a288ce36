/**
 * The blocked call a hang is titled after, as the kernel's hung-task report's stack would name it:
 * the innermost function that means something to the caller — wait_for_completion, not the
 * wait_event it sleeps in; a driver's own function for a wait_event it calls itself (a macro in
 * the kernel, so the stack shows the caller). A sleep records its site in the actor's wait record
 * (wait.ts block, A_WAIT_SITE); WS_PRIMITIVE leaves the title to the wait kind's primitive
 * (mutex_lock, dma_fence_wait, wait_event, msleep), as every hang was titled before.
 */

/** Each site's function name and the primitive its hangs were titled after before (former_titles.ts). */
const SITES: readonly (readonly [fn: string, former: string])[] = [
  ['', ''],
  ['wait_for_completion', 'wait_event'],
  ['dma_resv_wait_timeout', 'dma_fence_wait'],
  ['dma_engine_run', 'wait_event'],
];

export const WS_PRIMITIVE = 0;
export const WS_WAIT_FOR_COMPLETION = 1;
export const WS_DMA_RESV_WAIT_TIMEOUT = 2;
export const WS_DMA_ENGINE_RUN = 3;

/** The function a wait record's site word names; undefined for WS_PRIMITIVE or an unknown word. */
export function waitSiteName(site: number): string | undefined {
  return site === WS_PRIMITIVE ? undefined : SITES[site]?.[0];
}

/** The primitive hangs in function `fn` were titled after before it was named; undefined when `fn`
 *  is no site. */
export function waitSiteFormer(fn: string): string | undefined {
  return SITES.find(([name], i) => i !== WS_PRIMITIVE && name === fn)?.[1];
}
