/**
 * A lock-free LIFO of free table rows in the arena (a Treiber stack, like the kernel's slab
 * freelists updated with cmpxchg_double): safe when stress actors push and pop at once on
 * different threads.
 *
 * The head is one Int32 word: `tag << (rowBits + 1) | (row + 1)`, 0 when empty. Each row's link
 * word holds the next row + 1 (0 = end). Every successful push and pop bumps the tag, so a pop
 * that read head (r, t) and link(r) = n, was delayed while r was popped, reused and pushed back,
 * fails its CAS instead of installing the stale n (the ABA problem). The tag has
 * 31 − rowBits bits: a pop delayed across that many operations on this list could still be
 * fooled — 32,768 with a 65,536-row table.
 *
 * In inline and controlled execution one task runs at a time and every CAS succeeds first time,
 * so the order of rows (and so every trial) is deterministic.
 */

/** A free list: its head word, and where row r's link word is (linkBase + r * stride). */
export interface FreeList {
  readonly head: number;
  readonly linkBase: number;
  readonly stride: number;
  readonly rowBits: number;
}

/** Push free row `row` (precondition: nobody uses it, and it is not on the list). */
export function freelist_push(h: Int32Array, l: FreeList, row: number): void {
  const shift = l.rowBits + 1;
  const link = l.linkBase + row * l.stride;
  for (;;) {
    const old = Atomics.load(h, l.head);
    Atomics.store(h, link, old & ((1 << shift) - 1));
    const next = ((((old >>> shift) + 1) << shift) | (row + 1)) | 0;
    if (Atomics.compareExchange(h, l.head, old, next) === old) return;
  }
}

/** Pop the most recently pushed row; -1 when the list is empty. */
export function freelist_pop(h: Int32Array, l: FreeList): number {
  const shift = l.rowBits + 1;
  const mask = (1 << shift) - 1;
  for (;;) {
    const old = Atomics.load(h, l.head);
    const top = old & mask;
    if (top === 0) return -1;
    const after = Atomics.load(h, l.linkBase + (top - 1) * l.stride) & mask;
    const next = ((((old >>> shift) + 1) << shift) | after) | 0;
    if (Atomics.compareExchange(h, l.head, old, next) === old) return top - 1;
  }
}
