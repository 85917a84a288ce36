/**
 * The DMA address (IOVA) range allocator, in the manner of drivers/iommu/iova.c: ranges given back
 * by dma_unmap_sg are kept on a free list (C_FREE_IOVA, chained through each free range's first
 * IOMMU entry) and reused first-fit — a larger range is split, its tail staying free — before the
 * never-used addresses past the cursor C_NEXT_IOVA are taken. Free ranges are not coalesced (maps
 * of one buffer all have its size, so exact fits are the rule).
 *
 * A DMA address carries the generation of its mapping (layout.ts HANDLE_BITS, IO_HGEN, set by
 * dma_map_sg): `iova_stale` tells an address kept past its unmap once its range is mapped again.
 *
 * Locking: the list is read and written only under the allocator's spinlock (C_IOVA_LOCK, the
 * kernel's iova_rbtree_lock), which is never held across a yield.
 */
import type { Arena } from '../shm/arena.js';
import { C_FREE_IOVA, C_IOVA_LOCK, C_NEXT_IOVA, IO_HGEN, IO_LEN, IO_NEXT_FREE } from '../shm/layout.js';
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
 * `n`, unmapped, and given back once): the next iova_alloc that fits reuses them.
 */
export function iova_free(t: Task, row: number, n: number): void {
  const a = t.arena;
  const h = t.i32;
  const lock = t.ctl + C_IOVA_LOCK;
  spin_lock(t, lock, 0);
  const b = a.iova(row);
  h[b + IO_LEN] = n;
  h[b + IO_NEXT_FREE] = h[t.ctl + C_FREE_IOVA]!;
  h[t.ctl + C_FREE_IOVA] = row + 1;
  spin_unlock(t, lock);
}

/** Lock held: unlink the first free range of at least `n` rows, keeping its tail free. */
function takeFree(t: Task, n: number): number {
  const a = t.arena;
  const h = t.i32;
  let link = t.ctl + C_FREE_IOVA;
  for (let cur = h[link]!; cur !== 0; cur = h[link]!) {
    const b = a.iova(cur - 1);
    const len = h[b + IO_LEN]!;
    if (len >= n) {
      let next = h[b + IO_NEXT_FREE]!;
      if (len > n) {
        const tail = a.iova(cur - 1 + n);
        h[tail + IO_LEN] = len - n;
        h[tail + IO_NEXT_FREE] = next;
        next = cur + n;
      }
      h[link] = next;
      return cur - 1;
    }
    link = b + IO_NEXT_FREE;
  }
  return -1;
}

/** Whether DMA address `x` is of another mapping than the one its IOMMU entry now holds. */
export function iova_stale(a: Arena, x: number): boolean {
  const mask = a.iovaGenMask;
  return ((x >>> a.layout.iovaRowBits) & mask) !== (a.i32[a.iova(x) + IO_HGEN]! & mask);
}
