/** The watchdog cost bench (bench/watch_cost.ts), briefly: it times real watched calls and runs
 *  canonical trials both ways; the figures themselves are benchmarks. */
import { describe, expect, it } from 'vitest';
import { canonicalWatched, watchCostUs } from '../../../bench/watch_cost.js';

describe('watch cost bench', () => {
  it('times a watched call against a bare one', () => {
    expect(Number.isFinite(watchCostUs(200))).toBe(true);
  });

  it.each(['trial', 'slice'] as const)('runs canonical trials watched per %s', async (per) => {
    expect(await canonicalWatched(per, 0.05)).toBeGreaterThan(0);
  });
});
