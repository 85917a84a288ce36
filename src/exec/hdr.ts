/**
 * HDR-style latency histograms: log-linear buckets over non-negative integers (nanoseconds here).
 * Values below 2^(SUB_BITS+1) have a bucket each; above, every power-of-two range is split into
 * 2^SUB_BITS equal buckets, so a bucket is never wider than value / 2^SUB_BITS (relative error
 * ≤ 0.8 % with SUB_BITS = 7). Values beyond MAX_TRACKABLE share the last bucket; min, max, count
 * and sum are kept exactly beside the buckets.
 *
 * The bucket function is shared by the worker-side recorder (which counts into a SharedArrayBuffer,
 * stress-stats.ts) and the main-side `Histogram` below (merging, percentiles, sparse export).
 */

/** Sub-bucket bits: a recorded value's bucket is at most value·2^-SUB_BITS wide. */
export const SUB_BITS = 7;
const SUB = 1 << SUB_BITS;
/** Largest value with its own bucket range (~18 minutes in ns). */
export const MAX_TRACKABLE = 2 ** 40 - 1;
const TWO_32 = 2 ** 32;

function highBit(x: number): number {
  return x < TWO_32 ? 31 - Math.clz32(x) : 63 - Math.clz32(Math.floor(x / TWO_32));
}

/** The bucket of value `v` (negative values count as 0; fractions are truncated). */
export function bucketIndex(v: number): number {
  if (!(v >= 0)) return 0;
  if (v < 2 * SUB) return Math.floor(v);
  const x = Math.min(Math.floor(v), MAX_TRACKABLE);
  const s = highBit(x) - SUB_BITS;
  return s * SUB + Math.floor(x / 2 ** s);
}

/** Buckets a histogram needs to cover [0, MAX_TRACKABLE]. */
export const HDR_BUCKETS = bucketIndex(MAX_TRACKABLE) + 1;

/** Smallest value of bucket `i`, and its width. */
export function bucketRange(i: number): { lo: number; width: number } {
  if (i < 2 * SUB) return { lo: i, width: 1 };
  const s = Math.floor(i / SUB) - 1;
  return { lo: (i - s * SUB) * 2 ** s, width: 2 ** s };
}

/** A histogram in plain memory: merge per-actor histograms, ask percentiles, export sparsely. */
export class Histogram {
  readonly counts = new Float64Array(HDR_BUCKETS);
  count = 0;
  sum = 0;
  min = Infinity;
  max = 0;

  /** Count one value. */
  record(v: number): void {
    this.counts[bucketIndex(v)]!++;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** Add every value of `o`. */
  merge(o: Histogram): this {
    if (o.count === 0) return this;
    for (let i = 0; i < HDR_BUCKETS; i++) if (o.counts[i] !== 0) this.counts[i]! += o.counts[i]!;
    this.count += o.count;
    this.sum += o.sum;
    this.min = Math.min(this.min, o.min);
    this.max = Math.max(this.max, o.max);
    return this;
  }

  /** Mean of the values, 0 when empty. */
  mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /**
   * The value at quantile `q` (0..1): the middle of the bucket holding the ceil(q·count)-th
   * smallest value, clamped to [min, max] (so q = 1 is the exact max). 0 when empty.
   */
  valueAt(q: number): number {
    if (this.count === 0) return 0;
    if (q >= 1) return this.max;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < HDR_BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen < rank) continue;
      const { lo, width } = bucketRange(i);
      return Math.min(this.max, Math.max(this.min, lo + (width - 1) / 2));
    }
    return this.max;
  }

  /** Non-empty buckets as [index, count] pairs, in index order. */
  toSparse(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < HDR_BUCKETS; i++) if (this.counts[i] !== 0) out.push([i, this.counts[i]!]);
    return out;
  }

  /** Rebuild from toSparse() output and the exact summary. */
  static fromSparse(buckets: readonly (readonly [number, number])[], s: { count: number; sum: number; min: number; max: number }): Histogram {
    const h = new Histogram();
    for (const [i, c] of buckets) if (i >= 0 && i < HDR_BUCKETS) h.counts[i]! += c;
    h.count = s.count;
    h.sum = s.sum;
    h.min = s.count === 0 ? Infinity : s.min;
    h.max = s.max;
    return h;
  }
}
