/**
 * DESIGN §8 acceptance: the default portfolio (strategies omitted) under `inline` finds every
 * buggy catalog scenario's expected finding within 1,000 trials and 10 s, for several base seeds;
 * every fixed twin stays clean over 1,000 portfolio trials. The per-strategy figures behind this
 * are `bench/first_finding.ts` (docs/BENCHMARKS.md, "Trials to first finding").
 */
import { describe, expect, it } from 'vitest';
import { hunt } from '../../../src/campaign/hunt.js';
import { CATALOG } from '../../../scenarios/index.js';

const BASE_SEEDS = [1, 100_001, 200_001] as const;
const buggy = CATALOG.filter((e) => e.scenario.expect !== 'clean');
/** revoke-wait-bookkeep is the twin of both S1 and S2: hunt it once. */
const twins = [...new Map(CATALOG.filter((e) => e.scenario.expect === 'clean').map((e) => [e.scenario.name, e])).values()];

describe('default campaign: trials to first finding', () => {
  it.each(buggy.map((e) => [`${e.ref} ${e.scenario.name}`, e] as const))('%s: found within 1,000 trials and 10 s for 3 base seeds', async (_, e) => {
    for (const seed of BASE_SEEDS) {
      const r = await hunt(e.scenario, { trials: 1000, timeMs: 10_000, seed, executor: 'inline' });
      const why = `${e.scenario.name} seed ${seed}: first ${r.firstExpected} after ${r.trials} trials, ${r.seconds.toFixed(2)} s, found ${r.findings.map((f) => f.kind).join(', ')}`;
      expect(r.firstExpected, why).not.toBeNull();
      expect(r.firstExpected!, why).toBeLessThanOrEqual(1000);
      expect(r.seconds, why).toBeLessThanOrEqual(10);
    }
  });

  it.each(twins.map((e) => [`${e.ref} ${e.scenario.name}`, e] as const))('%s: fixed twin clean over 1,000 portfolio trials', async (_, e) => {
    const r = await hunt(e.scenario, { trials: 1000, timeMs: 60_000, seed: 1, executor: 'inline' });
    expect(r.findings.map((f) => `${f.kind}: ${f.title} (trial ${f.trial})`)).toEqual([]);
    expect(r.trials).toBe(1000);
    expect(r.ok).toBe(true);
  });
});
