/**
 * DESIGN §8's canonical trial rates are for a revoke scenario of ~100 steps (1 exporter, 2
 * importers, 1 engine). The suite's parameters must keep revoke-wait-bookkeep at that size as the
 * model changes, and the catalog's own defaults (the context row) stay shorter.
 */
import { describe, expect, it } from 'vitest';
import { CANONICAL_100_STEPS, canonicalTrials } from '../../../bench/measure.js';

describe('canonical revoke scenario for the trial-rate targets', () => {
  it('takes about 100 steps a trial with the suite\'s parameters, about 40 with the catalog\'s', async () => {
    const sized = await canonicalTrials('inline', 0.3, CANONICAL_100_STEPS);
    expect(sized.steps).toBeGreaterThanOrEqual(85);
    expect(sized.steps).toBeLessThanOrEqual(120);
    expect(sized.perSec).toBeGreaterThan(0);
    const plain = await canonicalTrials('inline', 0.1);
    expect(plain.steps).toBeLessThan(60);
  });
});
