// REFCOUNT_WARN is WARN_ONCE (src/kernel/kref.ts refcount_warn, Task.warnOnce): under the stress
// executor 4 threads misuse 4 different refcounts each at the same moment — kref_get on 0,
// kref_put below 0, dma_fence_put on a released fence, dma_buf_put after the release — and every
// trial records exactly one finding per warning, whichever thread won. Until the once-bit, two
// threads could both pass refcount_warn's scan of the findings table and record twice (measured
// on the old code: see the commit message). Budget: TRIALS stress trials.
import { describe, expect, it } from 'vitest';
import { StressExecutor } from '../../../src/exec/stress.js';
import { at } from '../../fixtures/fence/oracle.js';
import { MISUSES, refcountWarnRace } from '../../fixtures/stress/refcount_warn_race.js';
import { withExecutor } from '../../support/executor.js';

const TRIALS = 150;
const ACTORS = 4;

describe('refcount_t WARN_ONCE under concurrency (stress)', () => {
  it(`records each refcount warning once a trial when ${ACTORS} threads misuse their own counts at once`, async () => {
    await withExecutor(new StressExecutor(refcountWarnRace, { durationMs: 5000, params: { actors: ACTORS } }), async (ex) => {
      for (let seed = 0; seed < TRIALS; seed++) {
        const r = await ex.runTrial(seed);
        expect(r.end, at(r)).toBe('done');
        expect(r.findings.map((f) => f.code).sort(), at(r)).toEqual([...MISUSES].sort());
      }
    });
  });
});
