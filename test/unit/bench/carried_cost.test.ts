/** The carried-state copy bench (bench/carried_cost.ts), briefly: it runs a catalog scenario's
 *  slices with a timed copy after every trial; the figures themselves are benchmarks. */
import { describe, expect, it } from 'vitest';
import { carriedCost } from '../../../bench/carried_cost.js';
import { abbaNoCtx } from '../../../scenarios/abba-no-ctx.js';

describe('carried-state copy bench', () => {
  it('times a copy after every trial of the slices it runs', () => {
    const c = carriedCost(abbaNoCtx, 0.05, 0.01);
    expect(c.trials).toBeGreaterThan(0);
    expect(c.copyUs).toBeGreaterThanOrEqual(0);
    expect(c.trialUs).toBeGreaterThan(0);
  });
});
