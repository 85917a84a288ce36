/**
 * A stress trial with findings hands back its rings' events under any schedule (the timing
 * campaign's uniform one too), read only once its actor threads are gone: when a thread outlives
 * the teardown's termination bound it could still write them, so a trial with findings then
 * hands back no ringEvents, stallEnds or events and says why (StressResult.stragglers), and the
 * schedule learns no horizons from it (its decision log may be torn). The straggler is
 * the executor's own account of the termination (terminateHung's false), injected by a subclass:
 * a real one needs a thread blocked past the bound, a race on the host's timing. So is the twins'
 * "all gone in time" (true): the real teardown may miss its 1 s bound on a loaded host.
 */
import { describe, expect, it } from 'vitest';
import type { Params } from '../../../src/exec/scenario.js';
import { STRESS_DELAY_CHANCE, STRESS_DELAY_SPINS, StressExecutor, type StressOptions } from '../../../src/exec/stress.js';
import { drawStressPlan, type StressPlan } from '../../../src/exec/stress_stalls.js';
import { spinsForever } from '../../fixtures/stress/ww_stress.js';
import { withExecutor } from '../../support/executor.js';

/** A stress executor whose teardowns report that a thread outlived the termination bound. */
class StragglingStress<P extends Params, E> extends StressExecutor<P, E> {
  protected override async terminateHung(ms: number): Promise<boolean> {
    await super.terminateHung(ms);
    return false;
  }
}

/** A stress executor whose teardowns report every thread gone within the termination bound. */
class GoneStress<P extends Params, E> extends StressExecutor<P, E> {
  protected override async terminateHung(ms: number): Promise<boolean> {
    await super.terminateHung(ms);
    return true;
  }
}

/** The spinner never yields after its first yield: the watchdog ends the trial as a hang and the
 *  teardown terminates its thread. Its stall point at that yield ends, so the twin reads one. */
const opts: StressOptions = {
  durationMs: 20_000, stallMs: 300, delayChance: 0, stallPoints: [[{ step: 0, runAhead: 0, budgetMs: 10 }]], events: true,
};

/** Schedule 'uniform' (the timing campaign's): no plan, no stall points. */
const uniform: StressOptions = { durationMs: 20_000, stallMs: 300, delayChance: 0 };

/** Schedule 'stalls': each trial's plan drawn from the horizons earlier trials taught. */
const hunting: StressOptions = { durationMs: 20_000, stallMs: 300, schedule: 'stalls' };
const BASE = { delayChance: STRESS_DELAY_CHANCE, maxDelaySpins: STRESS_DELAY_SPINS };

/** A hang trial, then one whose seed draws another plan with the first trial's horizon than with
 *  none learned: that plan, and the two candidates. */
async function secondPlan<P extends Params, E>(ex: StressExecutor<P, E>): Promise<{ plan?: StressPlan; unlearned: StressPlan; learned: StressPlan }> {
  const first = await ex.runTrial(4);
  const made = first.decisions!.filter((d) => d.actor === 0).length;
  let seed = 0;
  const differ = (s: number): boolean => JSON.stringify(drawStressPlan(s, 1, [], BASE)) !== JSON.stringify(drawStressPlan(s, 1, [made], BASE));
  while (!differ(seed)) seed++;
  const { plan } = await ex.runTrial(seed);
  return { ...(plan === undefined ? {} : { plan }), unlearned: drawStressPlan(seed, 1, [], BASE), learned: drawStressPlan(seed, 1, [made], BASE) };
}

describe('a stress trial whose actor threads were terminated', () => {
  it('leaves its rings unread when a thread outlived the termination bound', async () => {
    const r = await withExecutor(new StragglingStress(spinsForever, opts), (ex) => ex.runTrial(4));
    expect(r.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
    expect(r.stragglers).toBe(true);
    expect(r.plan?.stalls).toEqual(opts.stallPoints);
    expect(r).not.toHaveProperty('ringEvents');
    expect(r).not.toHaveProperty('stallEnds');
    expect(r).not.toHaveProperty('events');
  });

  it('learns no horizon from a trial a thread outlived: the next plan is drawn as before it', async () => {
    const p = await withExecutor(new StragglingStress(spinsForever, hunting), secondPlan);
    expect(p.plan).toEqual(p.unlearned);
  });

  it('learns the horizons of a trial whose threads were all gone in time', async () => {
    const p = await withExecutor(new GoneStress(spinsForever, hunting), secondPlan);
    expect(p.plan).toEqual(p.learned);
  });

  it('reads its rings when every thread was gone in time', async () => {
    const r = await withExecutor(new GoneStress(spinsForever, opts), (ex) => ex.runTrial(4));
    expect(r.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
    expect(r).not.toHaveProperty('stragglers');
    expect(r.ringEvents?.length).toBeGreaterThan(0);
    expect(r.stallEnds?.map((s) => s.actor)).toEqual([0]);
    expect(r).toHaveProperty('events');
  });

  it('under the uniform schedule reads its rings too, with no plan, and none when a thread outlived the bound', async () => {
    const r = await withExecutor(new StressExecutor(spinsForever, uniform), (ex) => ex.runTrial(4));
    expect(r.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
    expect(r.ringEvents, 'the spinner traces nothing: its rings are read, and empty').toEqual([]);
    expect(r).not.toHaveProperty('plan');
    expect(r).not.toHaveProperty('stallEnds');
    const s = await withExecutor(new StragglingStress(spinsForever, uniform), (ex) => ex.runTrial(4));
    expect(s.stragglers).toBe(true);
    expect(s).not.toHaveProperty('ringEvents');
  });
});
