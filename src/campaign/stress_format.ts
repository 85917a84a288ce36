/** Human-readable units for stress results: latencies, byte rates, ratios. */

/** `812 ns`, `12.3 µs`, `4.56 ms`, `1.20 s` (three significant digits). */
export function fmtNs(ns: number): string {
  if (!Number.isFinite(ns)) return '-';
  if (ns < 1e3) return `${Math.round(ns)} ns`;
  if (ns < 1e6) return `${sig3(ns / 1e3)} µs`;
  if (ns < 1e9) return `${sig3(ns / 1e6)} ms`;
  return `${sig3(ns / 1e9)} s`;
}

/** `34.9 GB/s`, `812 MB/s`, `0 B/s` (decimal units, like bandwidth figures elsewhere). */
export function fmtRate(bytesPerSec: number): string {
  if (bytesPerSec >= 1e9) return `${sig3(bytesPerSec / 1e9)} GB/s`;
  if (bytesPerSec >= 1e6) return `${sig3(bytesPerSec / 1e6)} MB/s`;
  if (bytesPerSec >= 1e3) return `${sig3(bytesPerSec / 1e3)} kB/s`;
  return `${Math.round(bytesPerSec)} B/s`;
}

/** `1 MiB`, `64 KiB`, `512 B`. */
export function fmtBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} B`;
}

/** `n noun`, in its plural form (default: with an `s`) unless n is 1: `1 trial`, `3 trials`,
 *  `2 context switches`. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/** A share 0..1 as `12.3 %`. */
export function fmtShare(share: number): string {
  return `${(100 * share).toFixed(1)} %`;
}

/** `b / a` as `1.23×`; `-` when a is 0 (or both are). */
export function fmtRatio(a: number, b: number): string {
  if (a === 0) return b === 0 ? '1.00×' : '-';
  return `${(b / a).toFixed(2)}×`;
}

/** A plain count or rate with three significant digits and k/M suffixes. */
export function fmtCount(n: number): string {
  if (n >= 1e6) return `${sig3(n / 1e6)}M`;
  if (n >= 1e4) return `${sig3(n / 1e3)}k`;
  return Number.isInteger(n) ? String(n) : sig3(n);
}

function sig3(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}
