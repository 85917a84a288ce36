/** The lock bench (bench/locks.ts) measures what it says; its figures are benchmarks, not tested. */
import { describe, expect, it } from 'vitest';
import { bestLockRates, lockBench, lockRatesInWorker, modelLockRate } from '../../../bench/locks.js';
import { C_STEP } from '../../../src/shm/layout.js';

describe('lock bench', () => {
  it('runs one uncontended scheduling point per lock+unlock under the stress actor loop', () => {
    const b = lockBench();
    expect(modelLockRate(b, 1000)).toBeGreaterThan(0);
    expect(b.arena.ctl(C_STEP)).toBe(1001);
    expect(modelLockRate(b, 10)).toBeGreaterThan(0);
    expect(b.arena.ctl(C_STEP)).toBe(11);
  });

  it('gives positive rates for every measurement, in this thread and in a worker', async () => {
    for (const r of [bestLockRates(5000, 1), await lockRatesInWorker(5000, 1)]) {
      for (const k of ['model', 'path', 'generator', 'raw'] as const) expect(r[k], k).toBeGreaterThan(0);
    }
  });
});
