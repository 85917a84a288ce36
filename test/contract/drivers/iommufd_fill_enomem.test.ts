// iopt_area_fill_domains failing -ENOMEM (the IOMMU table has no room for the range) unwinds as
// pages.c's out_unmap / out_untrack do: nothing of the range mapped (the entry left free is still
// the next one a map gets), the domain empty (a read through it faults, harmlessly) and off the
// tracker, the pages still attached and pinned until their release (leak checks on). Once there
// is room the same range fills, unless VFIO revoked the buffer meanwhile: its callback finds no
// domain to unmap, and the second fill skips the revoked range (a read through it still faults).
import { describe, expect, it } from 'vitest';
import { ENOMEM } from '../../../src/errno/errno.js';
import { EXECUTORS, findingTitles, runTrials } from '../../support/both.js';
import { EN, fillEnomem } from '../../fixtures/iommufd/fill_enomem.js';

describe.each(EXECUTORS)('iommufd fill -ENOMEM (%s)', (kind) => {
  it('leaves the domain empty and untracked and the IOMMU table as it was', async () => {
    for (const r of await runTrials(kind, fillEnomem, 3, { leakCheck: true })) {
      expect(findingTitles([r])).toEqual([]);
      expect([r.end, r.user[EN.MAP], r.user[EN.FILL], r.user[EN.READ], r.user[EN.DONE]]).toEqual(['done', 0, -ENOMEM, 0, 1]);
      expect(r.user[EN.PROBE_ROW]).toBe(r.user[EN.FREE_ROW]);
    }
  });

  it.each([
    // [then, VFIO's revoked word, the second fill's return, a read through the domain afterwards went through]
    ['retry', 0, 0, 1],
    ['revoke', 1, 0, 0],
  ] as const)('then %s: revoked %i, second fill %i, read through the domain %i, released clean', async (then, revoked, refill, readThen) => {
    for (const r of await runTrials(kind, fillEnomem, 3, { params: { then }, leakCheck: true })) {
      expect(findingTitles([r])).toEqual([]);
      expect([r.end, r.user[EN.FILL], r.user[EN.REFILL], r.user[EN.READ_THEN], r.user[EN.DONE]]).toEqual(['done', -ENOMEM, refill, readThen, 1]);
      expect(r.user[EN.REVOKED]).toBe(revoked);
    }
  });
});
