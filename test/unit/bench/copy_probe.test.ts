/** The copy probe's summary: the best, median and lowest probe, and the stretches of probes
 *  below 90 % of the best that show the host was busy. */
import { describe, expect, it } from 'vitest';
import { probeReport, summarizeProbes, type Probe } from '../../../bench/copy_probe.js';

/** Probes 0.1 s apart, each 0.09 s long, with these rates (GB/s). */
const series = (gbs: number[]): Probe[] => gbs.map((g, i) => ({ atSec: i / 10, endSec: i / 10 + 0.09, bytesPerSec: g * 1e9 }));

describe('copy probe summary', () => {
  it('finds the longest stretch of slow probes, from the start of its first to the end of its last', () => {
    const s = summarizeProbes(series([110, 100, 80, 100, 70, 75, 80, 105, 110, 109]));
    expect(s.best).toBe(110e9);
    expect(s.lowest).toBe(70e9);
    expect(s.median).toBe(100e9);
    expect(s.slowShare).toBeCloseTo(0.4);
    expect(s.longestSlowSec).toBeCloseTo(0.29);
    expect(s.longestSlowAtSec).toBeCloseTo(0.4);
  });

  it('measures a stretch at the end, even of one probe, the same way', () => {
    const s = summarizeProbes(series([110, 109, 60, 60, 60]));
    expect(s.longestSlowSec).toBeCloseTo(0.29);
    expect(s.longestSlowAtSec).toBeCloseTo(0.2);
    expect(summarizeProbes(series([110, 60])).longestSlowSec).toBeCloseTo(0.09);
  });

  it('reports no stretch on a quiet host', () => {
    const s = summarizeProbes(series([110, 108, 105, 100]));
    expect(s.slowShare).toBe(0);
    expect(Number.isNaN(s.longestSlowAtSec)).toBe(true);
    expect(probeReport(65536, 1, s)).toContain('below 90 % of the best: 0.0 % of probes, none');
  });
});
