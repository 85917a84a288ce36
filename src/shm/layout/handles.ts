/** Handles of reclaimed rows: the row and its generation packed into one object id. */

/**
 * Generation handles of reclaimed objects (fences, DMA addresses). Such a handle is
 * `row | (generation << rowBits)` within HANDLE_BITS (so it still fits a packed op): the row in
 * the low `rowBits(capacity)` bits, the low bits of the row's generation above. A row's first
 * use has generation 0, so its handle equals its row. The record accessors (Arena.fence/iova)
 * drop the generation; the kernel compares it with the row's to tell a stale handle. With
 * 24 − rowBits generation bits, a handle held across 2^(24 − rowBits) reuses of its row
 * would look current again (one row of a 65,536-fence table: 256 reuses).
 */
export const HANDLE_BITS = 24;
/** Bits of a row index for a table of `capacity` rows (at least 1). */
export function rowBits(capacity: number): number {
  return Math.max(1, 32 - Math.clz32(capacity - 1));
}
