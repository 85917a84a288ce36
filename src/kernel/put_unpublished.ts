/**
 * The unwind of an export that failed after dma_buf_export (pages could not be had): the new
 * dma-buf's only reference is dropped, as the kernel's error path does with dma_buf_put, so its
 * release runs and nothing of it stays live. Shared by the exporters (drivers/), which pass their
 * own module's dma_buf_put: this file belongs to no module.
 */
import type { KGen } from './types.js';

/**
 * Run `put` — the exporting module's dma_buf_put of a dma-buf nobody else has seen — to its end.
 * Preconditions: no attachment, no vmap, and the exporter's release finds nothing it would sleep
 * for (nothing was published): then no scheduling point is reached, which lets the export run
 * from a function that is not a generator. The release follows dma_buf_put's rule, as fput's
 * error-path put does in the kernel: in the put when the exporting task holds no lock (as the
 * exporters' export functions require), else deferred to the task's return to user mode (task
 * work, which may sleep); the buffer is unusable from the put on either way. Setup, which has no
 * scheduling points, holds no lock.
 */
export function putUnpublished(put: KGen<void>): void {
  while (put.next().done !== true) { /* no scheduling point is reached */ }
}
