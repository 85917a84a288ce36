// The lockless dma_resv reader walks the live fence list (kernel-semantics §1.6, §1.8;
// dma_resv_iter_walk_unlocked): a slot replaced ahead of the walk is seen, a fence appended after
// the walk's restart is waited for only after a reallocation restarts it, and a walk over a list
// that a reallocation superseded ends on the new list — under the inline and the controlled
// executor with the same seeds.
import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../../../src/exec/result.js';
import { MAX_SCHEDULE_TIMEOUT } from '../../fixtures/kernel.js';
import { IW, resvIterAppend, resvIterRealloc, resvIterReplace } from '../../fixtures/resv/iter.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';
import { EXECUTORS } from '../../support/both.js';

/** Every trial ended clean; the trials in which the writer changed the list mid-walk. */
function caught(rs: readonly TrialResult[]): TrialResult[] {
  for (const r of rs) expect(outcome(r), at(r)).toEqual(CLEAN);
  return rs.filter((r) => r.user[IW.CAUGHT] === 1);
}

describe.each(EXECUTORS)('dma_resv lockless walk against writers (%s)', (kind) => {
  it('sees a slot replaced in place ahead of the walk, and waits for its new fence', async () => {
    const rs = caught(await run(kind, resvIterReplace));
    expect(rs.length).toBeGreaterThan(0);
    for (const r of rs) expect(pick(r, { RET: IW.RET, WAITED: IW.WAITED_A }), at(r)).toEqual({ RET: MAX_SCHEDULE_TIMEOUT, WAITED: 1 });
  });

  it.each([
    ['no reallocation: the append is not waited for', false, { WAITED_A: 1, WAITED_B: 0, PENDING_B: 1 }],
    ['a reallocation: the walk restarts at slot 0 and waits for it', true, { WAITED_A: 1, WAITED_B: 1, PENDING_B: 0 }],
  ] as const)('a fence appended while the wait sleeps, %s', async (_what, realloc, want) => {
    const rs = await run(kind, resvIterAppend, { realloc });
    for (const r of rs) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, { RET: IW.RET, WAITED_A: IW.WAITED_A, WAITED_B: IW.WAITED_B, PENDING_B: IW.PENDING_B }), at(r))
        .toEqual({ RET: MAX_SCHEDULE_TIMEOUT, ...want });
    }
  });

  it.each([
    ['freed', 1], ['freed', 2], ['carried', 1], ['carried', 2],
  ] as const)('a walk over a list reallocated under it (next slot %s, %s reallocations) ends on the new list', async (next, reallocs) => {
    const rs = caught(await run(kind, resvIterRealloc, { next, reallocs }));
    expect(rs.length).toBeGreaterThan(0);
    for (const r of rs) {
      expect(pick(r, { RET: IW.RET, WAITED_A: IW.WAITED_A, WAITED_B: IW.WAITED_B }), at(r))
        .toEqual({ RET: MAX_SCHEDULE_TIMEOUT, WAITED_A: 1, WAITED_B: 1 });
    }
  });
});
