/**
 * Stress timing statistics in one SharedArrayBuffer of their own (not the arena): per actor, a
 * latency histogram per timed phase (kernel/phases.ts), lock, wait, wake-up and CPU-time counters,
 * and DMA bytes per time slot of the whole run. The main thread creates it and names it in every
 * stress actor task; it survives trial resets, so a campaign of many trials accumulates into it.
 *
 * Writers: each actor's block is written only by the thread running that actor
 * (stress-recorder.ts), with plain stores. Readers: the main thread, after the trials (exact) or
 * while they run (the live status line: approximate, a value may be one update behind).
 *
 * Layout: Float64 words first — the series origin (wall-clock ms; the main thread sets it before
 * the trials), then per actor [phases × (count, sum, min, max), counters, series slots] — then
 * Int32 bucket counts, per actor phases × HDR_BUCKETS.
 */
import { PHASE_COUNT } from '../kernel/phases.js';
import { HDR_BUCKETS, Histogram, bucketIndex } from './hdr.js';

/** Counters per actor (Float64 words). */
export const ST_LOCK_ACQUIRED = 0;
/** Lock attempts that found the lock held and queued to sleep. */
export const ST_LOCK_CONTENDED = 1;
/** -EDEADLK returned to a ww_mutex_lock caller (wait-die, wound or injected). */
export const ST_LOCK_BACKOFF = 2;
/** Wall time (ms) blocked: on a mutex, on a fence, on a wait_event word, in msleep / other. */
export const ST_BLOCKED_LOCK_MS = 3;
export const ST_BLOCKED_FENCE_MS = 4;
export const ST_BLOCKED_EVENT_MS = 5;
export const ST_SLEEP_MS = 6;
/** Bytes the actor's DMA accesses moved through device memory. */
export const ST_DMA_BYTES = 7;
/** Sleepers the actor woke (futex wake-ups: fence signals, unlocks, wake_up), and the wall time
 *  (ms) its wake calls took — on a VM a wake-up can cost the waker tens of µs. */
export const ST_WAKES = 8;
export const ST_WAKE_MS = 9;
/** The actor thread's time on a CPU and runnable waiting for one (ms), and the times it was put on
 *  a CPU, over its trials (exec/thread_cpu.ts). NaN from the first trial the OS did not report
 *  them (NaN stays NaN as trials add up). */
export const ST_CPU_MS = 10;
export const ST_RUNQ_MS = 11;
export const ST_SLICES = 12;
export const ST_COUNTERS = 13;

const SUMMARY = 4;
const SUMMARY_WORDS = PHASE_COUNT * SUMMARY;
/** Float64 words before the first actor's block: [series origin]. */
const HEADER = 1;

/** What crosses to the actor threads (structured-cloneable; the buffer is shared). */
export interface StressStatsShared {
  readonly sab: SharedArrayBuffer;
  readonly actors: number;
  /** Time slots of the DMA byte series, each `slotMs` long from the series origin. */
  readonly slots: number;
  readonly slotMs: number;
}

/** A new statistics buffer for `actors` actors and a run of `slots` × `slotMs`, empty, with its
 *  series starting at `originMs` (wall clock: performance.timeOrigin + performance.now()). */
export function createStressStats(actors: number, slots: number, slotMs: number, originMs: number): StressStatsShared {
  const f64 = HEADER + actors * (SUMMARY_WORDS + ST_COUNTERS + slots);
  const i32 = actors * PHASE_COUNT * HDR_BUCKETS;
  const s = { sab: new SharedArrayBuffer(f64 * 8 + i32 * 4), actors, slots, slotMs };
  new StressStats(s).reset(originMs);
  return s;
}

/** Views over a statistics buffer, for either side. */
export class StressStats {
  readonly shared: StressStatsShared;
  readonly f64: Float64Array;
  readonly i32: Int32Array;
  private readonly perActor: number;

  constructor(s: StressStatsShared) {
    this.shared = s;
    this.perActor = SUMMARY_WORDS + ST_COUNTERS + s.slots;
    const f64Words = HEADER + s.actors * this.perActor;
    this.f64 = new Float64Array(s.sab, 0, f64Words);
    this.i32 = new Int32Array(s.sab, f64Words * 8, s.actors * PHASE_COUNT * HDR_BUCKETS);
  }

  /** Forget everything recorded and start the series at `originMs`. Main thread, between trials
   *  only (no actor may be writing). */
  reset(originMs: number): void {
    this.f64.fill(0);
    this.i32.fill(0);
    this.f64[0] = originMs;
    for (let a = 0; a < this.shared.actors; a++) for (let p = 0; p < PHASE_COUNT; p++) this.f64[this.summary(a, p) + 2] = Infinity;
  }

  /** Wall-clock start of the series (ms). */
  get originMs(): number {
    return this.f64[0]!;
  }

  /** Index of [count, sum, min, max] of `phase` for `actor` in f64. */
  summary(actor: number, phase: number): number {
    return HEADER + actor * this.perActor + phase * SUMMARY;
  }

  private counterIndex(actor: number, c: number): number {
    return HEADER + actor * this.perActor + SUMMARY_WORDS + c;
  }

  /** Count latency `ns` of `phase` for `actor` (the actor's own thread only). */
  record(actor: number, phase: number, ns: number): void {
    this.i32[(actor * PHASE_COUNT + phase) * HDR_BUCKETS + bucketIndex(ns)]!++;
    const s = this.summary(actor, phase);
    const f = this.f64;
    f[s]!++;
    f[s + 1]! += ns;
    if (ns < f[s + 2]!) f[s + 2] = ns;
    if (ns > f[s + 3]!) f[s + 3] = ns;
  }

  add(actor: number, c: number, v: number): void {
    this.f64[this.counterIndex(actor, c)]! += v;
  }

  counter(actor: number, c: number): number {
    return this.f64[this.counterIndex(actor, c)]!;
  }

  /** Add `bytes` to the series slot holding wall-clock time `atMs`. */
  addSeries(actor: number, atMs: number, bytes: number): void {
    const s = this.shared;
    const slot = Math.min(s.slots - 1, Math.max(0, Math.floor((atMs - this.originMs) / s.slotMs)));
    this.f64[this.counterIndex(actor, ST_COUNTERS) + slot]! += bytes;
  }

  /** Bytes per slot of `actor`, the first `n` slots. */
  series(actor: number, n = this.shared.slots): number[] {
    const at = this.counterIndex(actor, ST_COUNTERS);
    return Array.from(this.f64.subarray(at, at + Math.min(n, this.shared.slots)));
  }

  /** `phase` of `actor` as a plain histogram (a copy). */
  histogram(actor: number, phase: number): Histogram {
    const h = new Histogram();
    const base = (actor * PHASE_COUNT + phase) * HDR_BUCKETS;
    for (let i = 0; i < HDR_BUCKETS; i++) h.counts[i] = this.i32[base + i]!;
    const s = this.summary(actor, phase);
    h.count = this.f64[s]!;
    h.sum = this.f64[s + 1]!;
    h.min = this.f64[s + 2]!;
    h.max = this.f64[s + 3]!;
    return h;
  }

  /** Count of `phase` over every actor (cheap: summaries only). */
  total(phase: number): number {
    let n = 0;
    for (let a = 0; a < this.shared.actors; a++) n += this.f64[this.summary(a, phase)]!;
    return n;
  }
}
