// dma_resv's lockless readers racing its writers on real threads (src/kernel/dma_resv_iter.ts):
// readers walk the list while writers reallocate it, replace slots in place and put the fences
// they replaced. The readers must see every fence that stays in the list, never one twice, leave
// no reference behind, and the races must really have happened: walks restarted by a
// reallocation, and fences read from a slot replaced under the walk. Default tier: 1.5 s of
// running (stress runs in a few hundred milliseconds show each race tens to hundreds of times).
import { describe, expect, it } from 'vitest';
import { StressExecutor } from '../../../src/exec/stress.js';
import { W, resvReaders } from '../../fixtures/stress/resv_readers.js';
import { withExecutor } from '../../support/executor.js';

const DURATION_MS = 1500;

describe('dma_resv lockless readers under stress', () => {
  it('see the fences that stay, restart on reallocation and read replaced slots, with no finding or leak', async () => {
    await withExecutor(new StressExecutor(resvReaders, { durationMs: DURATION_MS }), async (ex) => {
      await ex.runTrial(1, 20);
      const r = await ex.runTrial(2);
      expect(r.findings.map((f) => f.title)).toEqual([]);
      expect(r.end).toBe('done');
      const u = r.user;
      expect({ missed: u[W.MISSED], dups: u[W.DUPS], enomem: u[W.ENOMEM], left: u[W.LEFT] }).toEqual({ missed: 0, dups: 0, enomem: 0, left: 0 });
      expect(u[W.WRITES]).toBeGreaterThan(0);
      expect(u[W.READS]).toBeGreaterThan(0);
      expect(u[W.CHECKED], 'queries checked for the keepers').toBeGreaterThan(0);
      expect(u[W.REALLOC], 'walk steps restarted by a reallocation').toBeGreaterThan(0);
      expect(u[W.REPLACED], 'fences read from a slot replaced under the walk').toBeGreaterThan(0);
    });
  });
});
