/**
 * The stress report's first line says how long the measured run was and how long the unmeasured
 * warm-up before it, so two reports with different warm-ups read differently; its DMA line splits
 * the engines' rate into their time in a job and the rate while in one; its wake-up line
 * shows how much of each engine's time went to waking sleepers, and its CPU line how much each
 * engine ran and waited for a CPU.
 */
import { describe, expect, it } from 'vitest';
import { stressSummary } from '../../../src/cli/stress_summary.js';
import { fakeResults } from '../../support/stress_results.js';

describe('stress summary header', () => {
  const header = (r: ReturnType<typeof fakeResults>): string => stressSummary(r, []).split('\n')[0]!;
  it.each([
    [600, '2.0 s after a 0.6 s warm-up,'],
    [0, '2.0 s, 1 trial,'],
  ])('warm-up %i ms reads "%s"', (warmupMs, expected) => {
    expect(header({ ...fakeResults(), warmupMs })).toContain(expected);
  });

  it('counts trials in the plural past one', () => {
    expect(header({ ...fakeResults(), trials: 3 })).toContain(', 3 trials,');
  });

  it('ends at the page size for a scenario without parameters', () => {
    expect(header({ ...fakeResults(), params: {} })).toMatch(/page [^;]*$/);
  });
});

describe('stress summary DMA', () => {
  it('gives the engines\' share of the run in a DMA job and their rate while in one', () => {
    // 100 jobs of 8.04 ms on average: 804 ms of a 2000 ms run, moving 1 GB.
    const line = stressSummary(fakeResults(4000), []).split('\n').find((l) => l.startsWith('DMA:'))!;
    expect(line).toContain('engine0 500 MB/s (100 jobs)');
    expect(line).toContain('in a job 40.2 % of the engines\' time, at 1.24 GB/s');
  });
});

describe('stress summary wake-ups', () => {
  it('gives the sleepers woken and each engine\'s share of its time in wake calls', () => {
    const line = stressSummary(fakeResults(), []).split('\n').find((l) => l.startsWith('wake-ups:'))!;
    expect(line).toContain('400 sleepers woken (200/s)');
    expect(line).toContain('engine0 10.0 %');
  });
});

describe('stress summary CPU time', () => {
  const cpuLine = (r: ReturnType<typeof fakeResults>): string => stressSummary(r, []).split('\n').find((l) => l.startsWith('CPU'))!;

  it('gives each engine\'s share of the run on a CPU and waiting for one, then the other actors summed', () => {
    const line = cpuLine(fakeResults());
    expect(line).toContain('engine0 90.0 %, 5.0 %');
    expect(line).toContain('2 actors 20.0 %, 2.0 %');
  });

  it('says so when the OS does not report it', () => {
    expect(cpuLine({ ...fakeResults(), threads: null })).toBe('CPU: not reported by this OS');
  });
});
