/**
 * A hunt's time budget leaves out the time actor threads take to take each trial up: on a loaded
 * machine that is 10–20 s, and a threaded hunt with the default budget ran one trial. Here the
 * late actor's thread spends 400 ms before taking each trial up, against a 300 ms budget.
 */
import { describe, expect, it } from 'vitest';
import { hunt } from '../../../src/campaign/hunt.js';
import { lateStart } from '../../fixtures/stress/late_start.js';

describe('a hunt\'s time budget', () => {
  it.each(['controlled', 'stress'] as const)('does not count the actor threads\' start-up (%s)', async (executor) => {
    const r = await hunt(lateStart, { trials: 3, timeMs: 300, seed: 1, strategies: ['random'], executor, params: { startMs: 400 } });
    expect(r.findings).toEqual([]);
    expect(r.trials).toBe(3);
    expect(r.seconds).toBeGreaterThanOrEqual(1.2);
  });
});
