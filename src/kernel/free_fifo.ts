/**
 * Free lists of table rows kept oldest first (the fence rows of dma_fence_alloc.ts, the DMA
 * address ranges of iova_alloc.ts): a head and a tail word in the control record hold the first
 * and last row + 1 (0 = empty), and each listed row's link word — at linkBase + row · stride —
 * the next row + 1 (0 = last). Reusing the oldest row first spreads reuse over every free row, so
 * a row's generation wraps only after all of them had a turn.
 *
 * Locking: the caller holds the list's spinlock.
 */

/** Append free row `row` at the tail (precondition: not on the list). */
export function fifo_append(h: Int32Array, head: number, tail: number, linkBase: number, stride: number, row: number): void {
  h[linkBase + row * stride] = 0;
  const last = h[tail]!;
  if (last === 0) h[head] = row + 1;
  else h[linkBase + (last - 1) * stride] = row + 1;
  h[tail] = row + 1;
}
