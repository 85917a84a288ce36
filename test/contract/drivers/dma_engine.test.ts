/**
 * The DMA engine's job holds its own reference to the completion fence until it has signaled it,
 * as a kernel scheduler job does: a submitter may drop its reference at once.
 */
import { describe, expect, it } from 'vitest';
import { runTrials } from '../../support/both.js';
import { engineFenceRef } from '../../fixtures/engine/fence_ref.js';

describe.each(['inline', 'controlled'] as const)('DMA engine job fence (%s)', (kind) => {
  it('signals a job\'s fence the submitter already dropped, with no finding and no leak', async () => {
    const results = await runTrials(kind, engineFenceRef, kind === 'inline' ? 200 : 20, { leakCheck: true });
    expect(results.map((r) => r.end)).toEqual(results.map(() => 'done'));
    expect(results.flatMap((r) => r.findings.map((f) => f.code))).toEqual([]);
  });
});
