// dma_resv_copy_fences racing a writer of its source on real threads (src/kernel/dma_resv_copy.ts):
// the writer publishes new lists of src while the copy walks it unlocked; copies that restart put
// what they gathered and start over. Every copy leaves dst with src's fences, no reference leaks
// or is dropped twice, and restarts must really have happened.
import { describe, expect, it } from 'vitest';
import { StressExecutor } from '../../../src/exec/stress.js';
import { ROUNDS, W, resvCopy } from '../../fixtures/stress/resv_copy.js';
import { withExecutor } from '../../support/executor.js';

/** A bound on the trial, not its length: the copier ends after ROUNDS copies. */
const BOUND_MS = 60_000;

describe('dma_resv_copy_fences under stress', () => {
  it('restarts when src\'s list is replaced mid-copy, leaving dst whole with no leak or underflow', async () => {
    await withExecutor(new StressExecutor(resvCopy, { durationMs: BOUND_MS }), async (ex) => {
      const r = await ex.runTrial(1);
      expect(r.findings.map((f) => f.title)).toEqual([]);
      expect(r.end).toBe('done');
      const u = r.user;
      expect({ copies: u[W.COPIES], wrong: u[W.WRONG], badref: u[W.BADREF] }).toEqual({ copies: ROUNDS, wrong: 0, badref: 0 });
      expect(u[W.WRITES]).toBeGreaterThan(0);
      expect(u[W.RESTARTS], 'copies restarted after gathering fences').toBeGreaterThan(0);
    });
  });
});
