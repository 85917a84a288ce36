// iopt_area_fill_domains failing -ENOMEM (the IOMMU table has no room for the range in the last of
// the IOAS's domains, after the others were filled) unwinds as pages.c's out_unmap / out_untrack
// do: nothing of the range mapped in any domain (the entries left free are still the next ones a
// map gets), every domain empty (a read through it faults, harmlessly) and off the tracker (the
// range fills again without the tracker's WARN), the pages still attached and pinned until their
// release (leak checks on). Once there is room the same range fills, unless VFIO revoked the
// buffer meanwhile: its callback finds no domain to unmap, and the second fill skips the revoked
// range (a read through any domain still faults). The unwind that unmaps only the domain that
// failed (fillUnwind 'unmap-failed-only') leaves the first domain mapped and untracked: the revoke
// misses it — VFIO's revoke returns with it mapped (REVOKE_LIVE_MAPPINGS) —, its device reads the
// revoked buffer, and the mapping outlives the pages' attachment (LEAK_DMA_MAPPING at trial end).
import { describe, expect, it } from 'vitest';
import { ENOMEM } from '../../../src/errno/errno.js';
import { EXECUTORS, findingTitles, runTrials } from '../../support/both.js';
import { EN, fillEnomem } from '../../fixtures/iommufd/fill_enomem.js';

/** Trials per case: the fixture has one actor, so every trial runs the same schedule. */
const TRIALS = 3;

describe.each(EXECUTORS)('iommufd fill -ENOMEM (%s)', (kind) => {
  it.each([1, 2])('over %i domain(s) leaves every domain empty and untracked and the IOMMU table as it was', async (domains) => {
    for (const r of await runTrials(kind, fillEnomem, TRIALS, { params: { domains }, leakCheck: true })) {
      expect(findingTitles([r])).toEqual([]);
      expect([r.end, r.user[EN.MAP], r.user[EN.FILL], r.user[EN.READ], r.user[EN.DONE]]).toEqual(['done', 0, -ENOMEM, 0, 1]);
      expect(r.user[EN.PROBE_ROW]).toBe(r.user[EN.FREE_ROW]);
    }
  });

  it.each([
    // [then, domains, VFIO's revoked word, the second fill's return, the domains a read went through afterwards]
    ['retry', 1, 0, 0, 0b1],
    ['revoke', 1, 1, 0, 0],
    ['retry', 2, 0, 0, 0b11],
    ['revoke', 2, 1, 0, 0],
  ] as const)('then %s over %i domain(s): revoked %i, second fill %i, reads through domains %i, released clean', async (then, domains, revoked, refill, readThen) => {
    for (const r of await runTrials(kind, fillEnomem, TRIALS, { params: { then, domains }, leakCheck: true })) {
      expect(findingTitles([r])).toEqual([]);
      expect([r.end, r.user[EN.FILL], r.user[EN.REFILL], r.user[EN.READ_THEN], r.user[EN.DONE]]).toEqual(['done', -ENOMEM, refill, readThen, 1]);
      expect(r.user[EN.REVOKED]).toBe(revoked);
    }
  });

  it(`with the unwind that unmaps only the failed domain, the first stays mapped past the revoke and the release: use-after-revoke and the mapping's leak within ${TRIALS} trials`, async () => {
    const results = await runTrials(kind, fillEnomem, TRIALS, { params: { then: 'revoke', domains: 2, fillUnwind: 'unmap-failed-only' }, leakCheck: true });
    for (const r of results) {
      expect([r.user[EN.FILL], r.user[EN.PROBE_ROW], r.user[EN.READ_THEN]]).toEqual([-ENOMEM, -ENOMEM, 0b01]);
      expect(r.findings.map((f) => [f.code, f.title])).toEqual([
        ['REVOKE_LIVE_MAPPINGS', 'assertion in revoke_return'], ['DMA_USE_AFTER_REVOKE', 'use-after-revoke in dma_engine_access'],
        ['LEAK_DMA_MAPPING', 'leak in dma_unmap_sg'],
      ]);
    }
  });
});
