/**
 * A stress trial's rings are read only once its actor threads are gone: when a thread outlives
 * the teardown's termination bound it could still write them, so a trial with findings then
 * hands back no ringEvents or stallEnds and says why (StressResult.stragglers). The straggler is
 * the executor's own account of the termination (terminateHung's false), injected by a subclass:
 * a real one needs a thread blocked past the bound, a race on the host's timing.
 */
import { describe, expect, it } from 'vitest';
import type { Params } from '../../../src/exec/scenario.js';
import { StressExecutor, type StressOptions } from '../../../src/exec/stress.js';
import { spinsForever } from '../../fixtures/stress/ww_stress.js';
import { withExecutor } from '../../support/executor.js';

/** A stress executor whose teardowns report that a thread outlived the termination bound. */
class StragglingStress<P extends Params, E> extends StressExecutor<P, E> {
  protected override async terminateHung(ms: number): Promise<boolean> {
    await super.terminateHung(ms);
    return false;
  }
}

/** The spinner never yields after its first yield: the watchdog ends the trial as a hang and the
 *  teardown terminates its thread. Its stall point at that yield ends, so the twin reads one. */
const opts: StressOptions = { durationMs: 20_000, stallMs: 300, delayChance: 0, stallPoints: [[{ step: 0, runAhead: 0, budgetMs: 10 }]] };

describe('a stress trial whose actor threads were terminated', () => {
  it('leaves its rings unread when a thread outlived the termination bound', async () => {
    const r = await withExecutor(new StragglingStress(spinsForever, opts), (ex) => ex.runTrial(4));
    expect(r.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
    expect(r.stragglers).toBe(true);
    expect(r.plan?.stalls).toEqual(opts.stallPoints);
    expect(r).not.toHaveProperty('ringEvents');
    expect(r).not.toHaveProperty('stallEnds');
  });

  it('reads its rings when every thread was gone in time', async () => {
    const r = await withExecutor(new StressExecutor(spinsForever, opts), (ex) => ex.runTrial(4));
    expect(r.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
    expect(r).not.toHaveProperty('stragglers');
    expect(r.ringEvents?.length).toBeGreaterThan(0);
    expect(r.stallEnds?.map((s) => s.actor)).toEqual([0]);
  });
});
