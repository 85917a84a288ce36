import { describe, expect, it } from 'vitest';
import { StressExecutor, type StressResult } from '../../../src/exec/stress.js';
import type { StallPoint } from '../../../src/exec/stress_stalls.js';
import { FIRST_DONE, LAPS_AT, RESCHEDS, runAhead } from '../../fixtures/stress/run_ahead.js';
import { withExecutor } from '../../support/executor.js';

const DURATION_MS = 20_000;

/** One trial of run-ahead with `laps` and the stalled actor (actor 0) stalling at `point`. */
function stalledTrial(laps: number, point: StallPoint): Promise<StressResult> {
  const ex = new StressExecutor(runAhead, { durationMs: DURATION_MS, delayChance: 0, params: { laps }, stallPoints: [[point], []] });
  return withExecutor(ex, (e) => e.runTrial(1));
}

/** The most laps the runner made between two of the stalled actor's consecutive records. */
function longestRunAhead(r: StressResult): number {
  let most = 0;
  for (let i = 1; i < RESCHEDS; i++) most = Math.max(most, r.user[LAPS_AT + i]! - r.user[LAPS_AT + i - 1]!);
  return most;
}

describe('stress stall points', () => {
  it('let the others run their whole phase ahead: the stalled actor goes on once the runner finished', async () => {
    const r = await stalledTrial(3000, { step: 6, runAhead: 0, budgetMs: 30_000 });
    expect([r.end, r.findings]).toEqual(['done', []]);
    // The stall came at the actor's 7th yield at the latest (0-based 6): it saw DONE right after.
    expect(r.user[FIRST_DONE]).toBeGreaterThan(0);
    expect(r.user[FIRST_DONE]).toBeLessThanOrEqual(7);
  });

  it('end once the others made runAhead yields, the runner going on without end', async () => {
    const r = await stalledTrial(0, { step: 6, runAhead: 64, budgetMs: 30_000 });
    expect([r.end, r.findings]).toEqual(['done', []]);
    expect(longestRunAhead(r)).toBeGreaterThanOrEqual(63);
    expect(r.wallMs, 'ended by the runner\'s yields, not the budget').toBeLessThan(DURATION_MS);
  });

  it('end within their budget while the others can always run', async () => {
    const r = await stalledTrial(0, { step: 6, runAhead: 0, budgetMs: 50 });
    expect([r.end, r.findings]).toEqual(['done', []]);
    expect(longestRunAhead(r), 'the runner ran meanwhile').toBeGreaterThanOrEqual(16);
    expect(r.wallMs, 'the stall ended long before the trial\'s duration').toBeLessThan(DURATION_MS);
  });
});
