// S12 (kernel-semantics §1.8, §6): dma_resv_wait_timeout with timeout 0 only tests the fences —
// 0 while one is unsignaled, 1 once all are signaled — and never sleeps (2b95a7db6e0f). Before
// that fix it waited each fence with a budget of one jiffy: a poll about to sleep on an unsignaled
// fence is RESV_WAIT_ZERO_SLEEPS. A GPU job signals its fence a few scheduling points after
// adding it, racing the poll (test/fixtures/resv/zero_timeout.ts).
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import { ZT, pollZeroSleeps, pollZeroTests } from '../../fixtures/resv/zero_timeout.js';

/** Inline trials per strategy (random, pct:2, pct:3) the buggy variant gets. */
const INLINE_BUDGET = 50;
/** Controlled trials the buggy variant gets. */
const CONTROLLED_BUDGET = 50;
const TITLE = ['RESV_WAIT_ZERO_SLEEPS', 'assertion in dma_resv_wait_timeout'];

describe('a zero-timeout dma_resv_wait_timeout', () => {
  it(`sleeps before 2b95a7db6e0f: found inline within ${INLINE_BUDGET} trials`, () => {
    const r = firstFound(pollZeroSleeps, INLINE_BUDGET);
    expect(r?.findings.map((f) => [f.code, f.title])).toEqual([TITLE]);
    expect(r!.user[ZT.DONE]).toBe(1);
  });

  it(`sleeps before 2b95a7db6e0f: found on controlled threads within ${CONTROLLED_BUDGET} trials`, async () => {
    const results = await runTrials('controlled', pollZeroSleeps, CONTROLLED_BUDGET);
    expect(results.flatMap((r) => r.findings.map((f) => [f.code, f.title]))).toContainEqual(TITLE);
  }, 120_000);

  it('with the fix returns 0 while the fence is unsignaled and 1 once it is, without sleeping', () => {
    const ex = new InlineExecutor(pollZeroTests, { strategy: 'random' });
    const rets = new Set(Array.from({ length: 100 }, (_, seed) => ex.runTrial(seed)).map((r) => r.user[ZT.RET]));
    expect([...rets].sort()).toEqual([0, 1]);
  });

  it('with the fix stays clean over 6,000 inline and 200 controlled trials', async () => {
    await expectClean(pollZeroTests, 6000, 200);
  }, 120_000);
});
