/** Shares of a stress run's wall time per actor, as the stress report and the scaling bench show
 *  them: CPU time (null where the OS does not report it), time in wake calls, and the engines'
 *  time in a DMA job with their rate while in one. */
import { describe, expect, it } from 'vitest';
import { cpuShare, jobTime, wakingShare } from '../../../src/campaign/stress_shares.js';
import type { StressResults } from '../../../src/campaign/stress_schema.js';

describe('CPU shares', () => {
  const results = (wallMs: number, threads: StressResults['threads']) => ({ wallMs, threads }) as unknown as StressResults;
  const engine0 = { source: 'schedstat' as const, perActor: [{ actor: 'engine0', cpuMs: 800, runqMs: 150, slices: 9 }] };

  it('is the wall time the thread ran on a CPU, or waited runnable for one', () => {
    expect(cpuShare(results(1000, engine0), 'engine0', 'cpuMs')).toBeCloseTo(0.8);
    expect(cpuShare(results(1000, engine0), 'engine0', 'runqMs')).toBeCloseTo(0.15);
  });

  it('is 0 for an actor not in the run, at most 1, and null when the OS does not report it', () => {
    expect(cpuShare(results(1000, engine0), 'engine1', 'cpuMs')).toBe(0);
    expect(cpuShare(results(500, engine0), 'engine0', 'cpuMs')).toBe(1);
    expect(cpuShare(results(1000, null), 'engine0', 'cpuMs')).toBeNull();
  });
});

describe('waking share', () => {
  const results = (wallMs: number, wakeMs: number) => ({ wallMs, locks: { perActor: [{ actor: 'engine0', wakeMs }] } }) as unknown as StressResults;

  it('is the wall time spent in wake calls, 0 for an actor not in the run', () => {
    expect(wakingShare(results(2000, 150), 'engine0')).toBeCloseTo(0.075);
    expect(wakingShare(results(2000, 150), 'engine1')).toBe(0);
  });
});

describe('job time', () => {
  const results = (wallMs: number, engines: number, jobs: { count: number; meanNs: number }, bytes: number) => ({
    wallMs, operations: { 'dma-job': jobs }, dma: { bytes, engines: Array.from({ length: engines }, (_, j) => ({ actor: `engine${j}` })) },
  }) as unknown as StressResults;

  it('splits DMA per engine into the share of time in a job and the rate while in one', () => {
    const jt = jobTime(results(1000, 1, { count: 1000, meanNs: 800_000 }, 80e9))!;
    expect(jt.share).toBeCloseTo(0.8);
    expect(jt.bytesPerSec).toBeCloseTo(100e9, -3);
  });

  it('shares the job time among the engines', () => {
    const jt = jobTime(results(1000, 2, { count: 2000, meanNs: 400_000 }, 80e9))!;
    expect(jt.share).toBeCloseTo(0.4);
    expect(jt.bytesPerSec).toBeCloseTo(100e9, -3);
  });

  it('gives the mean engine when the engines ran unequal shares', () => {
    // engine0: 600 jobs of 1 ms (60 GB); engine1: 200 jobs of 1 ms (20 GB): 0.6 and 0.2 of 1 s.
    const jt = jobTime(results(1000, 2, { count: 800, meanNs: 1e6 }, 80e9))!;
    expect(jt.share).toBeCloseTo(0.4);
    expect(jt.share * jt.bytesPerSec).toBeCloseTo(40e9, -3);
  });

  it('is null when no job ran or no engine moved anything', () => {
    expect(jobTime(results(1000, 1, { count: 0, meanNs: 0 }, 0))).toBeNull();
    expect(jobTime(results(1000, 0, { count: 10, meanNs: 1000 }, 0))).toBeNull();
  });
});
