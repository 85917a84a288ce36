// A user module's dma_resv_for_each_fence_unlocked loop (dma_resv_iter_begin / _first_unlocked /
// _next_unlocked / _is_restarted / _end, reached through the module's symbol table) against a
// writer that reallocates the list and adds a fence mid-walk: the loop restarts on the new list
// and its collection holds every fence it must — under the inline and the controlled executor.
import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../../../src/exec/result.js';
import { CLEAN, at, outcome, run } from '../../fixtures/fence/oracle.js';
import { UW, resvIterUser } from '../../fixtures/resv/user_iter.js';
import { EXECUTORS } from '../../support/both.js';

/** The reader's collection, in order. */
function seen(r: TrialResult): number[] {
  return Array.from({ length: r.user[UW.N]! }, (_, i) => r.user[UW.SEEN + i]!);
}

/** The fences the collection must hold: A and B, and C when the writer added it before the loop's last call. */
function expected(r: TrialResult): number[] {
  const [a, b, c] = [0, 1, 2].map((i) => r.user[UW.FENCES + i]!);
  return r.user[UW.ADDED_AT_END] === 1 ? [a!, b!, c!] : [a!, b!];
}

describe.each(EXECUTORS)('a user module walking a dma_resv with the unlocked iterator (%s)', (kind) => {
  it('collects every fence of the list it ends on, restarting when a reallocation overtakes the walk', async () => {
    const rs = await run(kind, resvIterUser, {}, kind === 'inline' ? 200 : 40);
    for (const r of rs) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(seen(r), at(r)).toEqual(expected(r));
    }
    // The schedules cover both sides of the race, and walks the reallocation overtook.
    const restartedMidWalk = rs.filter((r) => r.user[UW.RESTARTS]! > 1);
    expect(restartedMidWalk.length).toBeGreaterThan(0);
    expect(rs.some((r) => r.user[UW.ADDED_AT_END] === 0)).toBe(true);
    for (const r of restartedMidWalk) expect(r.user[UW.ADDED_AT_END], at(r)).toBe(1);
  });
});
