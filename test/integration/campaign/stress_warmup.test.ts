/**
 * The stress campaign's unmeasured warm-up trial: by default it grows with the actor threads
 * (each compiles the model for itself), an explicit length is kept even past the duration, and
 * what it measures is not in the results.
 */
import { describe, expect, it } from 'vitest';
import { WARMUP_MIN_MS, WARMUP_MS_PER_ACTOR, defaultWarmupMs, runStressCampaign } from '../../../src/campaign/stress_run.js';
import { stressRevoke } from '../../../scenarios/stress-revoke.js';

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
