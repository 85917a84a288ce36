// Racing kfree_words of one block under the stress executor (src/kernel/priv.ts): the double-free
// check and the poisoning are one step, so whatever the interleaving exactly one free gives the
// block back — it is on the free list once, a kzalloc of another length returns (the walk ends)
// and the others are one PRIV_DOUBLE_FREE finding (one per freeing task, the same title).
// Budget: 40 trials.
import { describe, expect, it } from 'vitest';
import { StressExecutor } from '../../../src/exec/stress.js';
import { at, pick } from '../../fixtures/fence/oracle.js';
import { KFREE, kfreeRace } from '../../fixtures/stress/kfree_race.js';
import { withExecutor } from '../../support/executor.js';

const TRIALS = 40;
const ACTORS = 4;

describe('kfree_words races (stress)', () => {
  it('gives the block back once and reports the other frees as double frees, however 4 threads interleave', async () => {
    await withExecutor(new StressExecutor(kfreeRace, { durationMs: 5000, params: { actors: ACTORS } }), async (ex) => {
      for (let seed = 0; seed < TRIALS; seed++) {
        const r = await ex.runTrial(seed);
        expect(r.end, at(r)).toBe('done');
        const titles = r.findings.map((f) => [f.code, f.title]);
        expect(new Set(titles.map((x) => x.join(': '))), at(r)).toEqual(new Set(['PRIV_DOUBLE_FREE: use-after-free in driver_release (double-free)']));
        expect(titles.length, at(r)).toBe(ACTORS - 1);
        const w = pick(r, KFREE);
        expect([w.OTHER, w.FIRST, w.SECOND], at(r)).toEqual([1, w.BLOCK, 1]);
      }
    });
  });
});
