import { describe, expect, it } from 'vitest';
import { StressExecutor, type StressResult } from '../../../src/exec/stress.js';
import { STALL_END_CODE, type StallEnd, type StallPoint } from '../../../src/exec/stress_stalls.js';
import { A_STALLS } from '../../../src/shm/layout.js';
import { EV_STALL_END } from '../../../src/trace/ops.js';
import { FIRST_DONE, LAPS_AT, RESCHEDS, runAhead } from '../../fixtures/stress/run_ahead.js';
import { withExecutor } from '../../support/executor.js';

const DURATION_MS = 20_000;

/** A trial's result (with its trace) and, per actor, the stalls it began and ended (A_STALLS). */
type Stalled = StressResult & { readonly stalls: readonly number[] };

/** One trial of run-ahead with `laps`, the stalled actor (actor 0) stalling at `point` and the
 *  runner at `runner`'s points. */
function stalledTrial(laps: number, point: StallPoint, runner: readonly StallPoint[] = []): Promise<Stalled> {
  const ex = new StressExecutor(runAhead, { durationMs: DURATION_MS, delayChance: 0, params: { laps }, stallPoints: [[point], runner], events: true });
  return withExecutor(ex, async (e) => {
    const r = await e.runTrial(1);
    return { ...r, stalls: [0, 1].map((i) => e.arena.i32[e.arena.actor(i) + A_STALLS]!) };
  });
}

/** The stalls the trial's trace holds: [actor, why it ended, the others' yields while it held]. */
function stallEnds(r: StressResult): [number, number, number][] {
  return (r.events ?? []).filter((e) => e.op === EV_STALL_END).map((e) => [e.actor, e.obj, e.aux]);
}

/** The one stall of actor 0 the trace holds, ended for `why`: the others' yields while it held. */
function heldFor(r: StressResult, why: StallEnd): number {
  const ends = stallEnds(r);
  expect(ends.map(([actor, code]) => [actor, code]), 'one stall, traced with why it ended').toEqual([[0, STALL_END_CODE[why]]]);
  return ends[0]![2];
}

/** The most laps the runner made between two of the stalled actor's consecutive records. */
function longestRunAhead(r: StressResult): number {
  let most = 0;
  for (let i = 1; i < RESCHEDS; i++) most = Math.max(most, r.user[LAPS_AT + i]! - r.user[LAPS_AT + i - 1]!);
  return most;
}

describe('stress stall points', () => {
  it('let the others run their whole phase ahead: the stalled actor goes on once the runner finished', async () => {
    const point = { step: 6, runAhead: 0, budgetMs: 30_000 };
    const r = await stalledTrial(3000, point);
    expect([r.end, r.findings]).toEqual(['done', []]);
    expect(r.plan?.stalls, 'the result names the stall points it ran with').toEqual([[point], []]);
    // The stall came at the actor's 7th yield at the latest (0-based 6): it saw DONE right after.
    expect(r.user[FIRST_DONE]).toBeGreaterThan(0);
    expect(r.user[FIRST_DONE]).toBeLessThanOrEqual(7);
    expect(heldFor(r, 'none-can-run'), 'it held while the runner ran its laps').toBeGreaterThan(0);
    expect(r.stallEnds, 'read for a trial with findings only').toBeUndefined();
  });

  it('end once the others made runAhead yields, the runner going on without end', async () => {
    const r = await stalledTrial(0, { step: 6, runAhead: 64, budgetMs: 30_000 });
    expect([r.end, r.findings]).toEqual(['done', []]);
    expect(longestRunAhead(r)).toBeGreaterThanOrEqual(63);
    expect(heldFor(r, 'run-ahead')).toBeGreaterThanOrEqual(64);
    expect(r.wallMs, 'ended by the runner\'s yields, not the budget').toBeLessThan(DURATION_MS);
  });

  // How far past 2 it lets the runner go depends on when the OS runs the two threads: measured in
  // docs/BENCHMARKS.md, and the polling pinned on a fake clock in the unit tests.
  it('end after runAhead yields when that is small, the runner going on without end', async () => {
    const r = await stalledTrial(0, { step: 6, runAhead: 2, budgetMs: 30_000 });
    expect([r.end, r.findings, r.stalls[0]], 'one stall, begun and ended').toEqual(['done', [], 2]);
    expect(heldFor(r, 'run-ahead')).toBeGreaterThanOrEqual(2);
    expect(r.wallMs, 'ended by the runner\'s yields, not the budget nor the stop request').toBeLessThan(DURATION_MS);
  });

  it('do not wait for each other: a stall ends at once when the only other actor is stalled too', async () => {
    const forever = { step: 6, runAhead: 0, budgetMs: 30_000 };
    const r = await stalledTrial(3000, forever, [forever]);
    expect([r.end, r.findings, r.stalls]).toEqual(['done', [], [2, 2]]);
    expect(stallEnds(r).map(([actor, code]) => [actor, code]).sort()).toEqual([[0, STALL_END_CODE['none-can-run']], [1, STALL_END_CODE['none-can-run']]]);
    expect(r.wallMs, 'ended before the stop request, not by the two stalls napping until it').toBeLessThan(DURATION_MS);
  });

  it('end within their budget while the others can always run', async () => {
    const r = await stalledTrial(0, { step: 6, runAhead: 0, budgetMs: 50 });
    expect([r.end, r.findings, r.stalls[0]], 'one stall, begun and ended').toEqual(['done', [], 2]);
    expect(longestRunAhead(r), 'the runner ran meanwhile').toBeGreaterThanOrEqual(16);
    expect(heldFor(r, 'budget'), 'it held while the runner ran').toBeGreaterThanOrEqual(16);
    expect(r.wallMs, 'the stall ended long before the trial\'s duration').toBeLessThan(DURATION_MS);
  });
});
