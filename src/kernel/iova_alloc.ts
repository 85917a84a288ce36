/**
 * The DMA address (IOVA) range allocator, in the manner of drivers/iommu/iova.c: ranges given back
 * by dma_unmap_sg are kept on a free list, oldest first (C_FREE_IOVA / C_FREE_IOVA_TAIL, chained
 * through each free range's first IOMMU entry) and reused first-fit — a larger range is split,
 * its tail staying free — before the never-used addresses past the cursor C_NEXT_IOVA are taken.
 * Free ranges are not coalesced (maps of one buffer all have its size, so exact fits are the
 * rule).
 *
 * A DMA address carries the generation of its mapping (layout.ts HANDLE_BITS, IO_HGEN, set by
 * dma_map_sg): `iova_stale` tells an address kept past its unmap once its range is mapped again.
 *
 * Locking: the list is read and written only under the allocator's spinlock (C_IOVA_LOCK, the
 * kernel's iova_rbtree_lock), which is never held across a yield.
 */
import type { Arena } from '../shm/arena.js';
import { C_FREE_IOVA, C_FREE_IOVA_TAIL, C_IOVA_LOCK, C_NEXT_IOVA, IOVA_WORDS, IO_HGEN, IO_LEN, IO_NEXT_FREE } from '../shm/layout.js';
import { fifo_append } from './free_fifo.js';
import { spin_lock, spin_unlock } from './spinlock.js';
import type { Task } from './task.js';

/** The first row of `n` free contiguous DMA addresses (now owned by the caller), or -1 if none. */
export function iova_alloc(t: Task, n: number): number {
  if (n > 0) {
    const lock = t.ctl + C_IOVA_LOCK;
    spin_lock(t, lock, 0);
    const row = takeFree(t, n);
    spin_unlock(t, lock);
    if (row >= 0) return row;
  }
  return takeNeverUsed(t, n);
}

/** Claim `n` never-used rows past the cursor (a CAS, so a request that does not fit leaves the
 *  cursor where it was); the first row, or -1. */
function takeNeverUsed(t: Task, n: number): number {
  const i = t.ctl + C_NEXT_IOVA;
  for (;;) {
    const base = Atomics.load(t.i32, i);
    if (base + n > t.arena.geometry.iovas) return -1;
    if (Atomics.compareExchange(t.i32, i, base, base + n) === base) return base;
  }
}

/**
 * Give back the `n` DMA addresses from row `row` (precondition: allocated by iova_alloc with this
 * `n`, unmapped, and given back once): appended to the free list, so ranges are reused oldest
 * first and a range's generation (HANDLE_BITS) wraps only after every free range had its turn.
 */
export function iova_free(t: Task, row: number, n: number): void {
  const a = t.arena;
  const h = t.i32;
  const lock = t.ctl + C_IOVA_LOCK;
  spin_lock(t, lock, 0);
  h[a.iova(row) + IO_LEN] = n;
  fifo_append(h, t.ctl + C_FREE_IOVA, t.ctl + C_FREE_IOVA_TAIL, a.layout.iovas + IO_NEXT_FREE, IOVA_WORDS, row);
  spin_unlock(t, lock);
}

/** Lock held: unlink the oldest free range of at least `n` rows, keeping its tail free in place. */
function takeFree(t: Task, n: number): number {
  const a = t.arena;
  const h = t.i32;
  let prev = 0;
  let link = t.ctl + C_FREE_IOVA;
  for (let cur = h[link]!; cur !== 0; cur = h[link]!) {
    const b = a.iova(cur - 1);
    const len = h[b + IO_LEN]!;
    if (len >= n) {
      const next = h[b + IO_NEXT_FREE]!;
      let replacement = next;
      if (len > n) {
        replacement = cur + n;
        const rest = a.iova(replacement - 1);
        h[rest + IO_LEN] = len - n;
        h[rest + IO_NEXT_FREE] = next;
      }
      h[link] = replacement;
      if (next === 0) h[t.ctl + C_FREE_IOVA_TAIL] = replacement !== 0 ? replacement : prev;
      return cur - 1;
    }
    prev = cur;
    link = b + IO_NEXT_FREE;
  }
  return -1;
}

/** Whether DMA address `x` is of another mapping than the one its IOMMU entry now holds. */
export function iova_stale(a: Arena, x: number): boolean {
  const mask = a.iovaGenMask;
  return ((x >>> a.layout.iovaRowBits) & mask) !== (a.i32[a.iova(x) + IO_HGEN]! & mask);
}
