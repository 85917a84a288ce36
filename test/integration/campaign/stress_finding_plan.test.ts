/**
 * A stress hunt's findings carry the plan their trial ran with (campaign/stress_plan.ts: the
 * delay profile and stall points drawn for it), per actor; an inline hunt's findings carry none.
 * A stress trial with findings reads the stalls that ended from its trace (StressResult.stallEnds).
 */
import { describe, expect, it } from 'vitest';
import { hunt } from '../../../src/campaign/hunt.js';
import { STRESS_DELAY_CHANCE, STRESS_DELAY_SPINS, StressExecutor } from '../../../src/exec/stress.js';
import { drawStressPlan } from '../../../src/exec/stress_stalls.js';
import { withExecutor } from '../../support/executor.js';
import { abbaNoCtx } from '../../../scenarios/abba-no-ctx.js';
import { findingStorm } from '../../fixtures/stress/finding_storm.js';

describe('a hunt finding\'s stress plan', () => {
  it('is the plan of the stress trial that found it', async () => {
    const r = await hunt(findingStorm, { trials: 1, timeMs: 60_000, seed: 3, executor: 'stress' });
    expect(r.findings.map((f) => f.title)).not.toEqual([]);
    // The first trial learned no horizon yet: its plan is its seed's alone.
    const base = { delayChance: STRESS_DELAY_CHANCE, maxDelaySpins: STRESS_DELAY_SPINS };
    for (const f of r.findings) {
      expect(f.executor).toBe('stress');
      expect(f.stressPlan).toEqual(drawStressPlan(f.seed, 4, [], base));
    }
  });

  it('is absent from an inline hunt\'s findings', async () => {
    const r = await hunt(abbaNoCtx, { trials: 200, timeMs: 60_000, seed: 1, executor: 'inline' });
    expect(r.findings.map((f) => f.kind)).toContain('deadlock');
    for (const f of r.findings) expect(f).not.toHaveProperty('stressPlan');
  });

  it('comes with the stalls that ended, read from the trace of the trial with findings', async () => {
    // Actor 0 stalls at its first yield, before it arrives: the others spin without a yield
    // waiting for it, able to run all along, so the stall ends on its budget.
    const stalls = [[{ step: 0, runAhead: 0, budgetMs: 10 }], [], [], []];
    const ex = new StressExecutor(findingStorm, { durationMs: 20_000, delayChance: 0, stallPoints: stalls });
    const r = await withExecutor(ex, (e) => e.runTrial(1));
    expect(r.findings.map((f) => f.code)).toContain('FENCE_CB_NULL');
    expect(r.stallEnds?.map((s) => [s.actor, s.end])).toEqual([[0, 'budget']]);
  });
});
