/**
 * A hunt chooses its strategy portfolio with an inline probe trial on the main thread; under the
 * stress executor, which takes no strategies, it runs no probe (the probe cost a trial timeout for
 * a scenario that spins, and ran the scenario on a thread the stress hunt never uses).
 */
import { describe, expect, it } from 'vitest';
import { hunt } from '../../../src/campaign/hunt.js';
import { mainThreadCount, mainThreadRuns } from '../../fixtures/campaign/main_thread_runs.js';

describe('a hunt\'s portfolio probe', () => {
  it('is not run under the stress executor', async () => {
    const before = mainThreadRuns();
    const r = await hunt(mainThreadCount, { trials: 2, timeMs: 60_000, seed: 1, executor: 'stress' });
    expect(r.trials).toBe(2);
    expect(r.findings).toEqual([]);
    expect(mainThreadRuns() - before).toBe(0);
  });

  it('is run under the inline executor', async () => {
    const before = mainThreadRuns();
    const r = await hunt(mainThreadCount, { trials: 2, timeMs: 60_000, seed: 1, executor: 'inline' });
    expect(r.trials).toBe(2);
    expect(mainThreadRuns() - before).toBe(3);
  });
});
