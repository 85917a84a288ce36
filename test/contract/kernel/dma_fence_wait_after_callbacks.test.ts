// A fence wait returns only after the signaller's callbacks ran (dma_fence_default_wait tests the
// flag under fence->lock, which the signaller holds while it runs them): on real threads, with the
// waiter polling the flag (wait policy spin) and a callback that keeps the lock until the waiter
// returns or a bounded spin ends, the waiter always finds the callback done. Before the wait ended
// through the fence lock it returned mid-callback in most trials. Budget: 20 trials.
import { describe, expect, it } from 'vitest';
import { StressExecutor } from '../../../src/exec/stress.js';
import { at, pick } from '../../fixtures/fence/oracle.js';
import { WAC, waitAfterCallbacks } from '../../fixtures/stress/wait_after_callbacks.js';
import { withExecutor } from '../../support/executor.js';

const TRIALS = 20;

describe('dma_fence_wait against running callbacks (stress)', () => {
  it('returns only after every callback of the signal it saw has run', async () => {
    await withExecutor(new StressExecutor(waitAfterCallbacks, { durationMs: 5000, waitPolicy: 'spin', delayChance: 0 }), async (ex) => {
      for (let seed = 0; seed < TRIALS; seed++) {
        const r = await ex.runTrial(seed);
        expect(r.end, at(r)).toBe('done');
        expect(r.findings.map((f) => f.code), at(r)).toEqual([]);
        expect(pick(r, WAC), at(r)).toMatchObject({ RETURNED: 1, CB_DONE: 1, SEEN: 2 });
      }
    });
  });
});
