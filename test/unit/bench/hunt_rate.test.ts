/** The hunt rate bench (bench/hunt_rate.ts) under a threaded executor, briefly: it counts the
 *  trials after the first over their own time; the figures themselves are benchmarks. */
import { describe, expect, it } from 'vitest';
import { threadedRate } from '../../../bench/hunt_rate.js';
import { revokeWaitBookkeep } from '../../../scenarios/revoke-wait-bookkeep.js';

describe('hunt rate bench', () => {
  it('measures a stress hunt\'s trials/s', { timeout: 60_000 }, async () => {
    expect(await threadedRate(revokeWaitBookkeep, 'stress', 0.5)).toBeGreaterThan(0);
  });
});
