import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Prng, prngBelow, prngFloat, prngNext, prngSeed } from '../../../src/sched/prng.js';

const OFF = 3; // a non-zero offset, as in the arena

function seeded(seed: number): Int32Array {
  const s = new Int32Array(8);
  prngSeed(s, OFF, seed);
  return s;
}

function take(s: Int32Array, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(prngNext(s, OFF));
  return out;
}

function popcount(x: number): number {
  let c = 0;
  for (; x !== 0; x &= x - 1) c++;
  return c;
}

describe('prng', () => {
  it('matches the xoshiro128** reference output', () => {
    const s = new Int32Array([0, 0, 0, 1, 2, 3, 4, 0]);
    expect(take(s, 10)).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597,
      4258142804,
    ]);
    expect(s[0]).toBe(0);
    expect(s[7]).toBe(0); // touches only its four words
  });

  it('gives the same stream for the same seed', () => {
    fc.assert(fc.property(fc.maxSafeNat(), (seed) => {
      expect(take(seeded(seed), 16)).toEqual(take(seeded(seed), 16));
    }));
  });

  it('gives independent streams for consecutive seeds', () => {
    const firsts = new Set<number>();
    let diffBits = 0;
    let pairs = 0;
    for (let seed = 0; seed < 2000; seed++) {
      const a = take(seeded(seed), 4);
      const b = take(seeded(seed + 1), 4);
      firsts.add(a[0]!);
      for (let i = 0; i < 4; i++) {
        diffBits += popcount((a[i]! ^ b[i]!) >>> 0);
        pairs++;
      }
    }
    expect(firsts.size).toBe(2000);
    // Independent uint32s differ in 16 bits on average (sd over 8000 pairs ≈ 0.02).
    expect(diffBits / pairs).toBeGreaterThan(15.8);
    expect(diffBits / pairs).toBeLessThan(16.2);
  });

  it('mixes in the high bits of large seeds', () => {
    expect(take(seeded(2 ** 32 + 5), 4)).not.toEqual(take(seeded(5), 4));
    expect(take(seeded(2 ** 40), 4)).not.toEqual(take(seeded(0), 4));
  });

  it('never seeds an all-zero state', () => {
    fc.assert(fc.property(fc.integer(), (seed) => {
      const s = seeded(seed);
      expect(s[OFF]! | s[OFF + 1]! | s[OFF + 2]! | s[OFF + 3]!).not.toBe(0);
    }));
  });

  it('keeps below(n) within [0, n)', () => {
    fc.assert(fc.property(fc.integer(), fc.integer({ min: 1, max: 2 ** 32 }), (seed, n) => {
      const s = seeded(seed);
      for (let i = 0; i < 20; i++) {
        const v = prngBelow(s, OFF, n);
        expect(Number.isInteger(v) && v >= 0 && v < n).toBe(true);
      }
    }));
  });

  it('draws below(2^b) from the high bits of an output', () => {
    fc.assert(fc.property(fc.integer(), fc.integer({ min: 0, max: 21 }), (seed, b) => {
      const a = seeded(seed);
      const c = seeded(seed);
      for (let i = 0; i < 10; i++) {
        const x = prngNext(a, OFF);
        expect(prngBelow(c, OFF, 2 ** b)).toBe(Math.floor(x / 2 ** (32 - b)));
      }
    }));
  });

  it('spreads below(n) uniformly', () => {
    const n = 7;
    const draws = 70_000;
    const s = seeded(42);
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < draws; i++) counts[prngBelow(s, OFF, n)]!++;
    const expected = draws / n;
    const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(22.46); // 6 degrees of freedom, p = 0.001
  });

  it('keeps prngFloat within [0, 1)', () => {
    fc.assert(fc.property(fc.integer(), (seed) => {
      const s = seeded(seed);
      let sum = 0;
      for (let i = 0; i < 50; i++) {
        const f = prngFloat(s, OFF);
        expect(f >= 0 && f < 1).toBe(true);
        sum += f;
      }
      expect(sum).toBeGreaterThan(0);
    }));
  });

  it('gives a Prng the same stream as prngSeed for the same seed', () => {
    const p = new Prng(7);
    const s = seeded(7);
    for (let i = 0; i < 10; i++) expect(p.next()).toBe(prngNext(s, OFF));
    p.seed(7);
    expect(p.next()).toBe(take(seeded(7), 1)[0]);
  });

  it('makes Prng.chance(p) true with probability p', () => {
    const p = new Prng(1);
    let hits = 0;
    for (let i = 0; i < 40_000; i++) if (p.chance(0.25)) hits++;
    expect(hits / 40_000).toBeGreaterThan(0.24);
    expect(hits / 40_000).toBeLessThan(0.26);
    for (let i = 0; i < 1000; i++) {
      expect(p.chance(0)).toBe(false);
      expect(p.chance(1)).toBe(true);
    }
  });

  it('consumes one output per Prng.chance whatever p is', () => {
    const a = new Prng(9);
    const b = new Prng(9);
    a.chance(0);
    a.chance(0.5);
    b.next();
    b.next();
    expect(a.next()).toBe(b.next());
  });

  it('keeps Prng.below(n) within [0, n)', () => {
    fc.assert(fc.property(fc.nat(), fc.integer({ min: 1, max: 1000 }), (seed, n) => {
      const v = new Prng(seed).below(n);
      expect(v >= 0 && v < n).toBe(true);
    }));
  });
});
