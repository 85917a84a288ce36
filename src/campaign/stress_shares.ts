/**
 * Shares of a stress run's wall time, read from its results document: what the stress report
 * (cli/stress_summary.ts), `--compare` (stress_compare.ts) and the scaling bench
 * (bench/scaling.ts) show per engine.
 */
import { PHASE_NAMES, PH_DMA_JOB } from '../kernel/phases.js';
import type { StressResults } from './stress_schema.js';

/** `ms` as a share of the run's wall time (0 for a run of no length; sums may exceed 1). */
export function runShare(r: StressResults, ms: number): number {
  return r.wallMs > 0 ? ms / r.wallMs : 0;
}

/** The share of the run's wall time `actor` spent in wake calls, 0..1 (0 when it is not in the
 *  run). */
export function wakingShare(r: StressResults, actor: string): number {
  const a = r.locks.perActor.find((p) => p.actor === actor);
  return a === undefined ? 0 : Math.min(1, runShare(r, a.wakeMs));
}

/** The share of the run's wall time `actor`'s thread ran on a CPU (`cpuMs`) or waited runnable
 *  for one (`runqMs`), 0..1: 0 when it is not in the run, null when the OS does not report it. */
export function cpuShare(r: StressResults, actor: string, k: 'cpuMs' | 'runqMs'): number | null {
  if (r.threads === null) return null;
  const a = r.threads.perActor.find((p) => p.actor === actor);
  return a === undefined ? 0 : Math.min(1, runShare(r, a[k]));
}

/** Where the engines' time went, from their DMA jobs' latencies: the mean over the engines that
 *  ran (moved bytes or ran jobs: `dma.engines`). With engines that ran unequal shares, the mean
 *  engine's. */
export interface JobTime {
  /** The engines' wall time inside a DMA job: job time summed over the engines ÷ (engines × the
   *  run), normally 0..1. A job's time is wall time from its start to its end: its scheduling
   *  points, a seeded delay there and a preemption in the middle count, the wait for the job
   *  before it starts does not. */
  readonly share: number;
  /** Bytes moved per second of job time. share × bytesPerSec = the mean DMA rate per engine. */
  readonly bytesPerSec: number;
}

/** The engines' job time in run `r` (of any results version); null when no job ran. */
export function jobTime(r: Pick<StressResults, 'operations' | 'dma' | 'wallMs'>): JobTime | null {
  const jobs = r.operations[PHASE_NAMES[PH_DMA_JOB]!];
  const engines = r.dma.engines.length;
  if (jobs === undefined || jobs.count === 0 || engines === 0 || r.wallMs <= 0) return null;
  const jobMs = (jobs.count * jobs.meanNs) / 1e6;
  return { share: jobMs / (engines * r.wallMs), bytesPerSec: jobMs > 0 ? r.dma.bytes / (jobMs / 1000) : 0 };
}
