// Racing dma_fence_put on one fence under the stress executor (src/kernel/dma_fence_ref.ts): the
// owner drops the only reference while 3 other threads drop 2 each that they never had. Whatever
// the interleaving, the fence is released once (the next fence reuses its row at generation 1, the
// one after takes another row) and the 6 extra puts give exactly one finding: the put that
// saturated the count WARNs FENCE_PUT_UNDERFLOW, the others find it saturated. Budget: 60 trials.
import { describe, expect, it } from 'vitest';
import { StressExecutor } from '../../../src/exec/stress.js';
import { FREF } from '../../fixtures/fence/ref.js';
import { at, pick } from '../../fixtures/fence/oracle.js';
import { fencePutRace } from '../../fixtures/stress/fence_put_race.js';
import { withExecutor } from '../../support/executor.js';

const TRIALS = 60;

describe('dma_fence_put races (stress)', () => {
  it('releases the fence once and WARNs once, however 4 threads interleave 7 puts of 1 reference', async () => {
    await withExecutor(new StressExecutor(fencePutRace, { durationMs: 5000, params: { actors: 4 } }), async (ex) => {
      for (let seed = 0; seed < TRIALS; seed++) {
        const r = await ex.runTrial(seed);
        expect(r.end, at(r)).toBe('done');
        expect(r.findings.map((f) => [f.code, f.title]), at(r)).toEqual([['FENCE_PUT_UNDERFLOW', 'refcount-underflow in dma_fence_put']]);
        const w = pick(r, FREF);
        expect([w.G1_ROW, w.G1_GEN], at(r)).toEqual([w.F_ROW, 1]);
        expect(w.G2_ROW, at(r)).not.toBe(w.F_ROW);
      }
    });
  });
});
