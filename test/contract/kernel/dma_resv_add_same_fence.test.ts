// S11 (a) (kernel-semantics §6, §7.1 R8): adding a fence that is already in the object replaces
// itself and needs no slot (95ba893c9f4f, later-or-same). Before that fix the replacement test
// was strictly "later", so the same fence appended: with the list full — the unlock after the
// hold that reserved reset max_fences — that is dma_resv_add_fence's BUG_ON (fence-slot).
// One actor, so one trial per executor is the whole schedule space (test/fixtures/resv/same_fence.ts).
import { describe, expect, it } from 'vitest';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import { SAME, addSameFenceReplaces, addSameFenceStrict } from '../../fixtures/resv/same_fence.js';

describe.each(EXECUTORS)('the same fence added again (%s)', (kind) => {
  it('before 95ba893c9f4f (strict later): appended without a slot, the fence-slot BUG in the second add', async () => {
    const [r] = await runTrials(kind, addSameFenceStrict, 1);
    expect(r!.end).toBe('bug');
    expect(r!.findings.map((f) => [f.code, f.kind, f.title])).toEqual([['RESV_ADD_NO_SLOT', 'fence-slot', 'fence-slot in dma_resv_add_fence']]);
    expect([r!.user[SAME.RESERVE], r!.user[SAME.STAGE]]).toEqual([0, 1]);
  });

  it('with the fix (later or same): F replaces itself, clean', async () => {
    const [r] = await runTrials(kind, addSameFenceReplaces, 1);
    expect([r!.end, r!.findings, r!.user[SAME.STAGE]]).toEqual(['done', [], 2]);
  });
});

describe('the same fence added again in every schedule', () => {
  it('the strict check is found in the first inline trial', () => {
    expect(firstFound(addSameFenceStrict, 1)?.findings.map((f) => f.code)).toEqual(['RESV_ADD_NO_SLOT']);
  });

  it('the fix stays clean over 3,000 inline and 100 controlled trials', async () => {
    await expectClean(addSameFenceReplaces, 3000, 100);
  }, 120_000);
});
