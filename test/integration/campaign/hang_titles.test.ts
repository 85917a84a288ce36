/**
 * A hang is titled after the blocked call, as the hung-task report's stack names it
 * (wait_for_completion, not the wait_event it sleeps in): two distinct hangs in one hunt are two
 * findings, not one collapsed under the primitive's title. A soft lockup in a function the
 * blocked call of a hang is named after too is titled with the watchdog's headline, so a hunt's
 * de-duplication by title keeps both.
 */
import { describe, expect, it } from 'vitest';
import { hunt } from '../../../src/campaign/hunt.js';
import { resvHangs } from '../../fixtures/exec/resv_hangs.js';
import { twoHangs } from '../../fixtures/exec/two_hangs.js';

/** Trials the hunt spends: both hangs come up within the first few under the portfolio. */
const TRIALS = 200;
/** Trials the resv hunt spends: both come up within the first three at seed 1 (a soft lockup's
 *  trial walks the list READ_RETRIES times, so each costs more). */
const RESV_TRIALS = 20;

describe('hang titles', () => {
  it('two distinct hangs in one hunt are two findings, each titled after its blocked call', async () => {
    const r = await hunt(twoHangs, { trials: TRIALS, timeMs: 30_000, seed: 1, executor: 'inline', keepGoing: true });
    expect(r.findings.map((f) => [f.code, f.title]).sort()).toEqual([
      ['hang', 'hang in wait_event'], ['hang', 'hang in wait_for_completion'],
    ]);
  });

  it('a soft lockup and a blocked hang in one function are two findings: the soft lockup\'s title names its condition', async () => {
    const r = await hunt(resvHangs, { trials: RESV_TRIALS, timeMs: 30_000, seed: 1, executor: 'inline', keepGoing: true });
    expect(r.findings.filter((f) => f.kind === 'hang').map((f) => [f.code, f.title]).sort()).toEqual([
      ['SOFT_LOCKUP', 'hang in dma_resv_wait_timeout (soft lockup)'], ['hang', 'hang in dma_resv_wait_timeout'],
    ]);
  });
});
