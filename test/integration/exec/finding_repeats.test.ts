// A trial whose one bug repeats on more pages than the findings table has slots still reports
// the distinct finding that follows, with the repeats counted and nothing dropped — S3 on a
// 63-page buffer still reports the device's use-after-free behind 63 pages of REUSE_BEFORE_UNMAP
// per mapping; and threads of the stress executor recording at once keep one slot per finding.
import { describe, expect, it } from 'vitest';
import { StressExecutor } from '../../../src/exec/stress.js';
import { DEFAULT_GEOMETRY } from '../../../src/shm/layout.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { reuseBeforeUnmap } from '../../../scenarios/reuse-before-unmap.js';
import { EXECUTORS } from '../../support/both.js';
import { at, run } from '../../fixtures/fence/oracle.js';
import { PAGES, findingRepeats } from '../../fixtures/dmabuf/repeats.js';
import { STORM, findingStorm } from '../../fixtures/stress/finding_storm.js';
import { withExecutor } from '../../support/executor.js';

describe.each(EXECUTORS)('findings repeated per page (%s)', (kind) => {
  it(`keeps the distinct finding after ${PAGES} per-page repeats of one (table of ${DEFAULT_GEOMETRY.findings})`, async () => {
    expect(PAGES).toBeGreaterThan(DEFAULT_GEOMETRY.findings);
    for (const r of await run(kind, findingRepeats, {}, 3)) {
      expect(r.findings.map((f) => [f.code, f.actor, f.repeats ?? 0]), at(r)).toEqual([['DMA_USE_AFTER_FREE', 0, PAGES - 1], ['PAGE_BAD_FREE', 0, 0]]);
      expect(r.dropped, at(r)).toBeUndefined();
    }
  });
});

describe('S3 on the largest buffer the default geometry holds', () => {
  const BUDGET = 500;
  it(`reports the device access use-after-free within ${BUDGET} inline pct:2 trials, nothing dropped`, () => {
    const ex = new InlineExecutor(reuseBeforeUnmap, { strategy: 'pct:2', params: { pages: 63 } });
    let found = -1;
    for (let seed = 0; seed < BUDGET && found < 0; seed++) {
      const r = ex.runTrial(seed);
      expect(r.dropped, `seed ${seed}`).toBeUndefined();
      if (r.findings.some((f) => f.code === 'DMA_USE_AFTER_FREE')) found = seed;
    }
    expect(found).toBeGreaterThanOrEqual(0);
  });
});

describe('findings recorded by parallel threads (stress)', () => {
  it('keeps a finding recorded by 4 threads at once in one slot, every other record a repeat', async () => {
    const r = await withExecutor(new StressExecutor(findingStorm, { durationMs: 2000, params: { actors: 4 } }), (ex) => ex.runTrial(1));
    expect(r.end).toBe('done');
    const shared = r.findings.filter((f) => f.code === 'FENCE_LATER_CONTEXT');
    expect(shared.map((f) => [f.actor, f.obj, f.repeats])).toEqual([[0, 7, 4 * STORM - 1]]);
    expect(r.findings.filter((f) => f.code === 'FENCE_CB_NULL').map((f) => f.actor).sort()).toEqual([0, 1, 2, 3]);
    expect(r.findings).toHaveLength(5);
    expect(r.dropped).toBeUndefined();
  });
});
