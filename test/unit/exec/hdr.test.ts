/**
 * The HDR-style histogram against a sorted-array oracle: every percentile lies within the bucket
 * error bound (value · 2^-SUB_BITS) of the exact order statistic; merging equals recording
 * everything into one histogram; the sparse export round-trips.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HDR_BUCKETS, Histogram, MAX_TRACKABLE, SUB_BITS, bucketIndex, bucketRange } from '../../../src/exec/hdr.js';

const QS = [0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1];

/** The exact value a percentile query should approximate: the ceil(q·n)-th smallest. */
function oracle(sorted: readonly number[], q: number): number {
  if (q >= 1) return sorted[sorted.length - 1]!;
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

function within(est: number, exact: number): boolean {
  return Math.abs(est - exact) <= exact * 2 ** -SUB_BITS + 1;
}

const values = fc.array(fc.oneof(fc.nat(300), fc.integer({ min: 0, max: 2 ** 34 })), { minLength: 1, maxLength: 400 });

describe('hdr buckets', () => {
  it('a value lies in its bucket, and buckets are at most value·2^-SUB_BITS wide', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: MAX_TRACKABLE }), (v) => {
      const i = bucketIndex(v);
      const { lo, width } = bucketRange(i);
      expect(i).toBeLessThan(HDR_BUCKETS);
      expect(v).toBeGreaterThanOrEqual(lo);
      expect(v).toBeLessThan(lo + width);
      expect(width).toBeLessThanOrEqual(Math.max(1, v * 2 ** -SUB_BITS));
    }));
  });

  it('bucket indices are monotonic and contiguous across power-of-two boundaries', () => {
    let prev = bucketIndex(0);
    let bad = -1;
    for (let v = 1; v < 1 << 20 && bad < 0; v++) {
      const i = bucketIndex(v);
      if (i !== prev && i !== prev + 1) bad = v;
      prev = i;
    }
    expect(bad).toBe(-1);
  });

  it('values past the tracked range share the last bucket', () => {
    expect(bucketIndex(MAX_TRACKABLE * 4)).toBe(HDR_BUCKETS - 1);
  });
});

describe('Histogram', () => {
  it('percentiles match the sorted-array oracle within the bucket error bound', () => {
    fc.assert(fc.property(values, (vs) => {
      const h = new Histogram();
      for (const v of vs) h.record(v);
      const sorted = [...vs].sort((a, b) => a - b);
      for (const q of QS) expect(within(h.valueAt(q), oracle(sorted, q)), `q=${q}`).toBe(true);
      expect(h.min).toBe(sorted[0]);
      expect(h.max).toBe(sorted[sorted.length - 1]);
      expect(h.count).toBe(vs.length);
    }));
  });

  it('merging equals recording every value into one histogram', () => {
    fc.assert(fc.property(values, values, (xs, ys) => {
      const a = new Histogram();
      const b = new Histogram();
      const all = new Histogram();
      for (const v of xs) { a.record(v); all.record(v); }
      for (const v of ys) { b.record(v); all.record(v); }
      a.merge(b);
      expect(a.count).toBe(all.count);
      expect(a.sum).toBe(all.sum);
      expect(a.min).toBe(all.min);
      expect(a.max).toBe(all.max);
      expect(a.toSparse()).toEqual(all.toSparse());
      for (const q of QS) expect(a.valueAt(q)).toBe(all.valueAt(q));
    }));
  });

  it('an empty histogram merges as a no-op and answers 0', () => {
    const h = new Histogram();
    expect(h.valueAt(0.5)).toBe(0);
    expect(h.mean()).toBe(0);
    const x = new Histogram();
    x.record(42);
    x.merge(h);
    expect([x.count, x.min, x.max]).toEqual([1, 42, 42]);
  });

  it('the sparse export round-trips', () => {
    const h = new Histogram();
    for (const v of [5, 5, 300, 70_000, 123_456_789]) h.record(v);
    const back = Histogram.fromSparse(h.toSparse(), h);
    expect(back.toSparse()).toEqual(h.toSparse());
    for (const q of QS) expect(back.valueAt(q)).toBe(h.valueAt(q));
  });
});
