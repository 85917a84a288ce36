/**
 * From a finished stress run (stress_run.ts) to the results document (stress_schema.ts): per
 * operation the merged latency histogram of every actor, DMA bytes per engine (an actor that ran
 * DMA jobs or moved bytes), lock counters, blocked time and wake-ups per actor, the DMA series
 * as bytes per second, and each actor thread's CPU times.
 */
import { PHASE_COUNT, PHASE_NAMES, PH_DMA_JOB } from '../kernel/phases.js';
import { Histogram, SUB_BITS } from '../exec/hdr.js';
import type { Params } from '../exec/scenario.js';
import {
  ST_BLOCKED_EVENT_MS, ST_BLOCKED_FENCE_MS, ST_BLOCKED_LOCK_MS, ST_DMA_BYTES, ST_LOCK_ACQUIRED, ST_LOCK_BACKOFF,
  ST_LOCK_CONTENDED, ST_SLEEP_MS, ST_WAKES, ST_WAKE_MS, ST_CPU_MS, ST_RUNQ_MS, ST_SLICES, type StressStats,
} from '../exec/stress-stats.js';
import { STRESS_RESULTS_FORMAT, STRESS_RESULTS_VERSION, type LatencyStats, type StressResults } from './stress_schema.js';
import type { StressRunArtifacts } from './artifact_writer.js';
import type { StressOutcome } from './stress_run.js';
import { HARNESS_VERSION } from './version.js';

export interface StressMeta {
  readonly scenario: string;
  /** The scenario's revision (ScenarioDef.revision, default 1). */
  readonly scenarioRevision: number;
  readonly params: Params;
  readonly pageBytes: number;
  readonly seed: number;
  readonly durationMs: number;
}

/** Summary of one histogram (ns, rounded to whole ns). */
export function latencyStats(h: Histogram): LatencyStats {
  const r = (v: number): number => Math.round(v);
  return {
    count: h.count, minNs: h.count === 0 ? 0 : r(h.min), meanNs: r(h.mean()), p50Ns: r(h.valueAt(0.5)),
    p90Ns: r(h.valueAt(0.9)), p99Ns: r(h.valueAt(0.99)), p999Ns: r(h.valueAt(0.999)), maxNs: r(h.max),
    buckets: h.toSparse(),
  };
}

function mergedPhase(stats: StressStats, phase: number): Histogram {
  const out = new Histogram();
  for (let a = 0; a < stats.shared.actors; a++) {
    if (stats.f64[stats.summary(a, phase)]! > 0) out.merge(stats.histogram(a, phase));
  }
  return out;
}

/** Actors that ran DMA: engines. */
function engineActors(o: StressOutcome): number[] {
  const s = o.stats;
  return o.actorNames.map((_, a) => a).filter((a) => s.f64[s.summary(a, PH_DMA_JOB)]! > 0 || s.counter(a, ST_DMA_BYTES) > 0);
}

/** Bytes per second in each slot the run covered (the last slot measured over its own length). */
function seriesOf(o: StressOutcome, actor: number): number[] {
  const slotMs = o.stats.shared.slotMs;
  const n = Math.max(1, Math.ceil(o.wallMs / slotMs));
  return o.stats.series(actor, n).map((bytes, i) => bytes / (Math.max(1, Math.min(slotMs, o.wallMs - i * slotMs)) / 1000));
}

function locksOf(o: StressOutcome): StressResults['locks'] {
  const s = o.stats;
  const perActor = o.actorNames.map((actor, a) => ({
    actor, acquisitions: s.counter(a, ST_LOCK_ACQUIRED), contended: s.counter(a, ST_LOCK_CONTENDED),
    backoffs: s.counter(a, ST_LOCK_BACKOFF), blockedLockMs: s.counter(a, ST_BLOCKED_LOCK_MS),
    blockedFenceMs: s.counter(a, ST_BLOCKED_FENCE_MS), blockedEventMs: s.counter(a, ST_BLOCKED_EVENT_MS), sleepMs: s.counter(a, ST_SLEEP_MS),
    wakes: s.counter(a, ST_WAKES), wakeMs: s.counter(a, ST_WAKE_MS),
  }));
  const sum = (k: 'acquisitions' | 'contended' | 'backoffs' | 'blockedLockMs'): number => perActor.reduce((n, p) => n + p[k], 0);
  return { acquisitions: sum('acquisitions'), contended: sum('contended'), backoffs: sum('backoffs'), blockedLockMs: sum('blockedLockMs'), perActor };
}

/** Each actor thread's CPU times, or null when any of them was not reported (NaN counters). */
function threadsOf(o: StressOutcome): StressResults['threads'] {
  const s = o.stats;
  const perActor = o.actorNames.map((actor, a) => ({
    actor, cpuMs: s.counter(a, ST_CPU_MS), runqMs: s.counter(a, ST_RUNQ_MS), slices: s.counter(a, ST_SLICES),
  }));
  return perActor.some((p) => Number.isNaN(p.cpuMs + p.runqMs + p.slices)) ? null : { source: 'schedstat', perActor };
}

/** The results document of run `o`; `files[i]`, when given, names the artifacts of finding i. */
export function buildStressResults(o: StressOutcome, m: StressMeta, files: readonly (StressRunArtifacts | undefined)[] = []): StressResults {
  const secs = Math.max(o.wallMs, 1) / 1000;
  const operations: Record<string, LatencyStats> = {};
  for (let p = 0; p < PHASE_COUNT; p++) operations[PHASE_NAMES[p]!] = latencyStats(mergedPhase(o.stats, p));
  const engines = engineActors(o).map((a) => {
    const bytes = o.stats.counter(a, ST_DMA_BYTES);
    return { actor: o.actorNames[a]!, bytes, bytesPerSec: bytes / secs, jobs: o.stats.f64[o.stats.summary(a, PH_DMA_JOB)]! };
  });
  const bytes = engines.reduce((n, e) => n + e.bytes, 0);
  return {
    format: STRESS_RESULTS_FORMAT, version: STRESS_RESULTS_VERSION, harness: HARNESS_VERSION,
    scenario: m.scenario, scenarioRevision: m.scenarioRevision, params: { ...m.params }, pageBytes: m.pageBytes, seed: m.seed, startedAt: o.startedAt,
    durationMs: m.durationMs, warmupMs: o.warmupMs, wallMs: o.wallMs, trials: o.trials, end: o.end,
    histogram: { unit: 'ns', subBucketBits: SUB_BITS },
    operations,
    dma: { bytes, bytesPerSec: bytes / secs, engines },
    locks: locksOf(o),
    series: {
      slotMs: o.stats.shared.slotMs,
      engines: engineActors(o).map((a) => ({ actor: o.actorNames[a]!, bytesPerSec: seriesOf(o, a) })),
    },
    threads: threadsOf(o),
    findings: o.findings.map((f, i) => ({ ...f, ...files[i] })),
  };
}
