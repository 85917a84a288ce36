/**
 * Buffers of released arenas, kept for the next arena of the same size. A campaign creates
 * several executors per scenario; without reuse every dead arena waits for a full V8 collection
 * and glibc keeps the freed pages, so a long campaign's resident set ratchets up (measured +66 %
 * over 10 minutes, docs/BENCHMARKS.md). Main-thread bookkeeping only: a buffer is given back
 * only when no other thread can still touch it.
 */

/** Buffers kept per size: enough for a portfolio's executors, bounded for odd geometries. */
const KEEP_PER_SIZE = 16;

const free = new Map<number, SharedArrayBuffer[]>();

/** A zeroed SharedArrayBuffer of `bytes` bytes: a released one when there is one. */
export function takeBuffer(bytes: number): SharedArrayBuffer {
  const b = free.get(bytes)?.pop();
  if (b === undefined) return new SharedArrayBuffer(bytes);
  new Int32Array(b).fill(0);
  return b;
}

/** Keep `b` for reuse. Precondition: nothing reads or writes it any more. */
export function giveBuffer(b: SharedArrayBuffer): void {
  let list = free.get(b.byteLength);
  if (list === undefined) { list = []; free.set(b.byteLength, list); }
  if (list.length < KEEP_PER_SIZE && !list.includes(b)) list.push(b);
}
