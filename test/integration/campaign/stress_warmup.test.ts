/**
 * The stress campaign's unmeasured warm-up: by default it grows with the actor threads (each
 * compiles the model for itself), it runs as two trials (V8 optimises again at an actor's
 * second), an explicit length is kept even past the duration, and what it measures is
 * not in the results.
 */
import { describe, expect, it } from 'vitest';
import { WARMUP_MIN_MS, WARMUP_MS_PER_ACTOR, defaultWarmupMs, runStressCampaign } from '../../../src/campaign/stress_run.js';
import { stressRevoke } from '../../../scenarios/stress-revoke.js';
import { nthRun } from '../../fixtures/stress/nth_run.js';

describe('default warm-up', () => {
  it('is WARMUP_MS_PER_ACTOR per actor thread, at least WARMUP_MIN_MS', () => {
    expect(defaultWarmupMs(1)).toBe(WARMUP_MIN_MS);
    expect(defaultWarmupMs(10)).toBe(10 * WARMUP_MS_PER_ACTOR);
    expect(defaultWarmupMs(10)).toBeGreaterThan(WARMUP_MIN_MS);
  });
});

describe('an explicit warm-up', () => {
  it('runs that long, unmeasured, before the duration starts', async () => {
    const params = { ...stressRevoke.params, importers: 1, pageBytes: 65536, jobPages: 4 };
    const t0 = performance.now();
    const r = await runStressCampaign({ scenario: stressRevoke, params, durationMs: 200, warmupMs: 900, seed: 1, pageBytes: 65536, delayChance: 0 });
    const took = performance.now() - t0;
    expect(r.end).toBe('done');
    expect(took).toBeGreaterThanOrEqual(900 + 200);
    expect(r.wallMs).toBeLessThan(900);
    expect(r.warmupMs).toBe(900);
    expect(r.trials).toBeGreaterThanOrEqual(1);
  });
});

describe('an interrupt', () => {
  it('stops a long warm-up at its first trial and runs nothing measured', async () => {
    const params = { ...stressRevoke.params, importers: 1, pageBytes: 65536, jobPages: 4 };
    const ac = new AbortController();
    ac.abort();
    const t0 = performance.now();
    const r = await runStressCampaign({
      scenario: stressRevoke, params, durationMs: 60_000, warmupMs: 120_000, seed: 1, pageBytes: 65536, delayChance: 0, signal: ac.signal,
    });
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(r.trials).toBe(1);
    expect(r.warmupMs).toBe(0);
  });
});

describe('the warm-up trials', () => {
  // A crash in trial n of the campaign: a warm-up trial ends the run unmeasured (warmupMs 0),
  // counted among the trials run; the first measured trial is the third.
  it.each([
    [1, 1, 0],
    [2, 2, 0],
    [3, 1, 400],
  ])('a crash in trial %i ends the run after %i trial(s), warm-up %i ms', async (throwOn, trials, warmupMs) => {
    const r = await runStressCampaign({ scenario: nthRun, params: { throwOn }, durationMs: 2000, warmupMs: 400, seed: 1, pageBytes: 4096, delayChance: 0 });
    expect(r.end).toBe('crash');
    expect(r.trials).toBe(trials);
    expect(r.warmupMs).toBe(warmupMs);
  });

  it('keep throughput slots for a warm-up longer than the run, where a finding leaves the series', async () => {
    const r = await runStressCampaign({ scenario: nthRun, params: { throwOn: 1 }, durationMs: 2000, warmupMs: 60_000, seed: 1, pageBytes: 4096, delayChance: 0 });
    expect(r.end).toBe('crash');
    const { slots, slotMs } = r.stats.shared;
    expect(slots * slotMs).toBeGreaterThanOrEqual(60_000);
  });
});
