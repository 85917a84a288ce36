/**
 * Timed phases: the operations a stress timing campaign measures. Model code marks where each
 * begins and ends with `t.mark(phase, MARK_BEGIN)` / `t.mark(phase, MARK_END)`; the executor
 * decides what a mark does (the stress host reads the wall clock and records the latency; inline
 * and controlled install nothing, so a mark costs one undefined check there). Marks never change
 * model state.
 *
 * Contract: begin and end of one phase come from the same task; phases may nest (revoke contains
 * invalidate, fence wait and unmap wait; map contains pin for pin-on-map) but one phase does not
 * nest in itself. An end without a matching begin is ignored by the recorder.
 */

/** vfio revoke, from the call to return (lock, invalidate, fence wait, unlock, unmap wait). */
export const PH_REVOKE = 0;
/** dma_buf_invalidate_mappings as called by the exporter's revoke. */
export const PH_INVALIDATE = 1;
/** The exporter's fence wait in revoke (dma_resv_wait_timeout with the knob's usage). */
export const PH_FENCE_WAIT = 2;
/** Revoke's drain: drop the registration reference and wait for every importer unmap. */
export const PH_UNMAP_WAIT = 3;
/** dma_buf_map_attachment (resv lock already held by the caller). */
export const PH_MAP = 4;
/** A pin: dma_buf_pin, or pin-on-map for static importers. */
export const PH_PIN = 5;
/** One DMA engine job, from the engine starting it to its last page. */
export const PH_DMA_JOB = 6;

export const PHASE_COUNT = 7;

/** Stable names (results files, plots and the CLI use them as keys). */
export const PHASE_NAMES: readonly string[] = ['revoke', 'invalidate', 'fence-wait', 'unmap-wait', 'map', 'pin', 'dma-job'];

export const MARK_BEGIN = 0;
export const MARK_END = 1;
