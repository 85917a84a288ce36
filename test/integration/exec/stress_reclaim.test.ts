// Fence rows are reclaimed safely under the stress executor, where actors run truly in parallel:
// the free list never hands one row to two fences, and a table far smaller than the fences made
// is enough.
import { describe, expect, it } from 'vitest';
import { StressExecutor } from '../../../src/exec/stress.js';
import { C_NEXT_FENCE } from '../../../src/shm/layout.js';
import { DOUBLE, ROUNDS, fenceChurn } from '../../fixtures/stress/fence_churn.js';
import { withExecutor } from '../../support/executor.js';

describe('fence reclaim under stress', () => {
  it('never hands a row out twice while 4 threads make and release fences', async () => {
    await withExecutor(new StressExecutor(fenceChurn, { durationMs: 600, params: { actors: 4 } }), async (ex) => {
      await ex.runTrial(1, 20);
      const r = await ex.runTrial(2);
      expect(r.end).toBe('done');
      expect(r.findings).toEqual([]);
      expect(r.user[DOUBLE]).toBe(0);
      const made = [0, 1, 2, 3].map((a) => r.user[ROUNDS + a]!);
      for (const n of made) expect(n).toBeGreaterThan(0);
      expect(made.reduce((x, y) => x + y)).toBeGreaterThan(ex.arena.ctl(C_NEXT_FENCE) * 10);
    });
  });
});
