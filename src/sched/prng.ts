/**
 * xoshiro128** (Blackman & Vigna) with its 128-bit state in four words of an Int32Array, so the
 * state can live in the arena's scheduler region and survive a turn handoff between threads.
 * Seeding goes through splitmix32, so consecutive seeds (0, 1, 2, …) give independent streams.
 * Ranges are drawn from the HIGH bits of an output (Lemire's multiply-shift with rejection),
 * never from a modulo of the low bits. Nothing here allocates, reads a clock or uses Math.random.
 */

/** Words of state a generator occupies from its offset. */
export const PRNG_WORDS = 4;

const TWO_32 = 4294967296;
/** Largest n for which `x * n` is exact in a double (x < 2^32), so Lemire's test is exact. */
const EXACT_N = 1 << 21;

/** One splitmix32 output for counter value `z` (a bijection of the uint32 counter). */
function splitmix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) | 0;
}

/**
 * Seed the generator at `state[off .. off+4)`.
 * Pre: `seed` is an integer-valued number with |seed| ≤ 2^53 (fractions are truncated); the low
 * and high 32 bits are both mixed in. Post: the state is never all zero, and is a pure function of
 * `seed`.
 */
export function prngSeed(state: Int32Array, off: number, seed: number): void {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_32) >>> 0;
  let any = 0;
  for (let i = 0; i < PRNG_WORDS; i++) {
    let w = splitmix32((lo + Math.imul(i + 1, 0x9e3779b9)) | 0);
    if (hi !== 0) w ^= splitmix32((hi + Math.imul(i + 1, 0x7f4a7c15) + 0x6a09e667) | 0);
    state[off + i] = w;
    any |= w;
  }
  if (any === 0) state[off] = 0x9e3779b9 | 0;
}

/** Advance the generator at `state[off..]` and return the next output, a uint32 in [0, 2^32). */
export function prngNext(state: Int32Array, off: number): number {
  const s0 = state[off]!;
  const s1 = state[off + 1]!;
  const s2 = state[off + 2]! ^ s0;
  const s3 = state[off + 3]! ^ s1;
  const m = Math.imul(s1, 5);
  const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
  state[off] = s0 ^ s3;
  state[off + 1] = s1 ^ s2;
  state[off + 2] = s2 ^ (s1 << 9);
  state[off + 3] = (s3 << 11) | (s3 >>> 21);
  return result;
}

/**
 * A uniform integer in [0, n), taken from the high bits of the product `x * n` (Lemire).
 * Pre: `n` is an integer in [1, 2^32]. Exactly uniform for n ≤ 2^21 (rejection); for larger n the
 * bias is below n / 2^53. Consumes one output, plus one per (rare) rejection.
 */
export function prngBelow(state: Int32Array, off: number, n: number): number {
  if (n > EXACT_N) return Math.min(Math.floor(prngFloat(state, off) * n), n - 1);
  let m = prngNext(state, off) * n;
  let low = m % TWO_32;
  if (low < n) {
    const threshold = (TWO_32 - n) % n;
    while (low < threshold) {
      m = prngNext(state, off) * n;
      low = m % TWO_32;
    }
  }
  return (m - low) / TWO_32;
}

/** A uniform double in [0, 1) with 53 random bits (consumes two outputs). */
export function prngFloat(state: Int32Array, off: number): number {
  const a = prngNext(state, off) >>> 5;
  const b = prngNext(state, off) >>> 6;
  return (a * 67108864 + b) / 9007199254740992;
}

/**
 * A thread-local generator owning its own four words (e.g. per-actor fault injection in `stress`).
 * Same stream as `prngSeed`/`prngNext` for the same seed.
 */
export class Prng {
  private readonly s = new Int32Array(PRNG_WORDS);

  constructor(seed: number) {
    prngSeed(this.s, 0, seed);
  }

  /** Re-seed in place (no allocation). */
  seed(seed: number): void {
    prngSeed(this.s, 0, seed);
  }

  /** The next uint32. */
  next(): number {
    return prngNext(this.s, 0);
  }

  /** A uniform integer in [0, n); pre: integer n in [1, 2^32]. */
  below(n: number): number {
    return prngBelow(this.s, 0, n);
  }

  /** True with probability `p` (≤ 0 never, ≥ 1 always). Always consumes exactly one output, so
   *  the stream position does not depend on `p`. */
  chance(p: number): boolean {
    return prngNext(this.s, 0) < p * TWO_32;
  }

  /** A uniform double in [0, 1). */
  float(): number {
    return prngFloat(this.s, 0);
  }
}
