import { describe, expect, it } from 'vitest';
import { freelist_pop, freelist_push, type FreeList } from '../../../src/kernel/freelist.js';

/** A list of `rows` rows of stride 2 (link in word 0 of each row) after a head word at index 0. */
function list(rowBits: number, rows = 1 << rowBits): { h: Int32Array; l: FreeList } {
  return { h: new Int32Array(new SharedArrayBuffer(4 * (1 + 2 * rows))), l: { head: 0, linkBase: 1, stride: 2, rowBits } };
}

describe('freelist (tagged lock-free LIFO)', () => {
  it('pops -1 when empty and rows in last-pushed-first order', () => {
    const { h, l } = list(4);
    expect(freelist_pop(h, l)).toBe(-1);
    for (const r of [3, 0, 15]) freelist_push(h, l, r);
    expect([freelist_pop(h, l), freelist_pop(h, l), freelist_pop(h, l), freelist_pop(h, l)]).toEqual([15, 0, 3, -1]);
  });

  it('changes the head word when a row is popped and pushed back, so a delayed pop fails its CAS (ABA)', () => {
    const { h, l } = list(4);
    freelist_push(h, l, 1);
    freelist_push(h, l, 2);
    const seen = h[0]!;
    expect(freelist_pop(h, l)).toBe(2);
    expect(freelist_pop(h, l)).toBe(1);
    freelist_push(h, l, 2);
    const mask = (1 << (l.rowBits + 1)) - 1;
    expect(h[0]! & mask).toBe(seen & mask);
    expect(h[0]).not.toBe(seen);
    expect(Atomics.compareExchange(h, 0, seen, 0)).not.toBe(seen);
  });

  it('keeps working when the tag (7 bits with 24 row bits) wraps around the head word', () => {
    const { h, l } = list(24, 64);
    const wrong: number[] = [];
    for (let i = 0; i < 1000; i++) {
      freelist_push(h, l, i & 63);
      freelist_push(h, l, (i + 1) & 63);
      if (freelist_pop(h, l) !== ((i + 1) & 63) || freelist_pop(h, l) !== (i & 63)) wrong.push(i);
    }
    expect(wrong).toEqual([]);
    expect(freelist_pop(h, l)).toBe(-1);
  });
});
