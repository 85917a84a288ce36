/**
 * SchedViews.jobFence (exec/prepare.ts) over a real engine: an engine op left over from a job's
 * previous run (its dma-speculative point, pending when the submitter resubmits the job with a new
 * fence) belongs to that run's fence, which POS relates it to — not to the resubmit's fence.
 */
import { describe, expect, it } from 'vitest';
import { objOf, opOf } from '../../../src/shm/layout.js';
import { OP_DMA_SPECULATIVE } from '../../../src/trace/ops.js';
import { runTrials } from '../../support/both.js';
import {
  W_FIRST, W_JOB, W_PENDING, W_SECOND, W_VIEW, engineResubmitLeftover,
} from '../../fixtures/engine/resubmit_leftover.js';

describe.each(['inline', 'controlled'] as const)('a DMA job\'s fence in the scheduler views (%s)', (kind) => {
  it('stays the previous run\'s for the engine\'s leftover speculative point after a resubmit', async () => {
    const results = await runTrials(kind, engineResubmitLeftover, kind === 'inline' ? 200 : 30);
    expect(results.map((r) => [r.end, r.findings.map((f) => f.code)])).toEqual(results.map(() => ['done', []]));
    const leftover = results.map((r) => r.user).filter((u) =>
      opOf(u[W_PENDING]!) === OP_DMA_SPECULATIVE && objOf(u[W_PENDING]!) === u[W_JOB]);
    expect(leftover.length).toBeGreaterThan(0);
    for (const u of leftover) {
      expect(u[W_SECOND]).not.toBe(u[W_FIRST]);
      expect(u[W_VIEW]).toBe(u[W_FIRST]);
    }
  });
});
