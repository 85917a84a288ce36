/** The shared statistics buffer: what an actor records is what the main thread reads back. */
import { describe, expect, it } from 'vitest';
import { PHASE_COUNT, PH_MAP, PH_REVOKE } from '../../../src/kernel/phases.js';
import { Histogram } from '../../../src/exec/hdr.js';
import { ST_DMA_BYTES, ST_LOCK_BACKOFF, StressStats, createStressStats } from '../../../src/exec/stress-stats.js';

describe('StressStats', () => {
  it('keeps one histogram per actor and phase, equal to a plain one', () => {
    const s = new StressStats(createStressStats(3, 10, 100, 0));
    const plain = new Histogram();
    for (const v of [1000, 2500, 2_000_000, 7]) { s.record(1, PH_REVOKE, v); plain.record(v); }
    s.record(2, PH_MAP, 99);
    const h = s.histogram(1, PH_REVOKE);
    expect(h.toSparse()).toEqual(plain.toSparse());
    expect([h.count, h.sum, h.min, h.max]).toEqual([plain.count, plain.sum, plain.min, plain.max]);
    expect(s.histogram(0, PH_REVOKE).count).toBe(0);
    expect(s.histogram(2, PH_MAP).count).toBe(1);
    expect(s.total(PH_REVOKE)).toBe(4);
  });

  it('counters and series slots are per actor; times past the last slot land in it', () => {
    const s = new StressStats(createStressStats(2, 4, 100, 1000));
    s.add(0, ST_LOCK_BACKOFF, 2);
    s.add(1, ST_DMA_BYTES, 4096);
    s.addSeries(1, 1050, 10);
    s.addSeries(1, 1250, 20);
    s.addSeries(1, 99_999, 5);
    expect(s.counter(0, ST_LOCK_BACKOFF)).toBe(2);
    expect(s.counter(1, ST_LOCK_BACKOFF)).toBe(0);
    expect(s.series(1)).toEqual([10, 0, 20, 5]);
    expect(s.series(0, 2)).toEqual([0, 0]);
  });

  it('reset forgets everything and moves the series origin', () => {
    const s = new StressStats(createStressStats(1, 4, 100, 0));
    for (let p = 0; p < PHASE_COUNT; p++) s.record(0, p, 10);
    s.add(0, ST_DMA_BYTES, 1);
    s.reset(500);
    expect(s.total(PH_REVOKE)).toBe(0);
    expect(s.counter(0, ST_DMA_BYTES)).toBe(0);
    expect(s.histogram(0, PH_REVOKE).min).toBe(Infinity);
    s.addSeries(0, 650, 3);
    expect(s.series(0)).toEqual([0, 3, 0, 0]);
  });

  it('two views of one buffer see the same numbers (as actor threads do)', () => {
    const shared = createStressStats(1, 2, 100, 0);
    new StressStats(shared).record(0, PH_MAP, 1234);
    expect(new StressStats(shared).histogram(0, PH_MAP).max).toBe(1234);
  });
});
