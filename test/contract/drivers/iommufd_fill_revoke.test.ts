// iommufd fills its domain in a step of its own, under pages->mutex and leaving a revoked range
// unmapped (kernel-semantics §4.11): a fill that skips the check, or checks without the mutex the
// revoke callback takes, maps the range after revoke and the device reads revoked memory; an
// unfill that leaves the domain on the pages' tracker trips iopt_release_pages' WARN; the
// release's unpin as merged (8c5f9645c389) runs without the resv lock dma_buf_unpin asserts; a
// release taking the resv lock inside pages->mutex inverts the revoke callback's resv →
// pages->mutex order, which iopt_map_dmabuf primes for lockdep (S20 (b): circular-locking, both
// lock classes in the report).
// Over two domains (a device on each) the revoke unmaps both; a callback that unmaps only the
// first tracked domain leaves the second device reading the revoked buffer.
import { describe, expect, it } from 'vitest';
import type { AnyScenario } from '../../../src/exec/scenario.js';
import { RESERVATION_CLASS_NAME } from '../../../src/kernel/lockdep.js';
import { siteId } from '../../../src/kernel/warn.js';
import { runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import {
  fillChecked, fillUnchecked, fillUnlocked, releaseMutexThenResv, releaseUnlocked, revokeFirstTracked, twoDomains,
  unfillKeepTracked,
} from '../../fixtures/iommufd/fill_revoke.js';

/** Buggy variant (name, scenario), the finding (code, title) it must produce. */
const BUGGY: readonly (readonly [string, AnyScenario, string, string])[] = [
  [fillUnchecked.name, fillUnchecked, 'DMA_USE_AFTER_REVOKE', 'use-after-revoke in dma_engine_access'],
  [fillUnlocked.name, fillUnlocked, 'DMA_USE_AFTER_REVOKE', 'use-after-revoke in dma_engine_access'],
  [releaseUnlocked.name, releaseUnlocked, 'RESV_NOT_HELD', 'lock-not-held in dma_buf_unpin'],
  [releaseMutexThenResv.name, releaseMutexThenResv, 'LOCKDEP_CIRCULAR', 'circular-locking in ww_mutex_lock'],
  [unfillKeepTracked.name, unfillKeepTracked, 'IOPT_RELEASE_TRACKED', 'assertion in iopt_release_pages'],
  [revokeFirstTracked.name, revokeFirstTracked, 'DMA_USE_AFTER_REVOKE', 'use-after-revoke in dma_engine_access'],
];

/** Inline trials (seeds 0 .. n − 1 per strategy: random, pct:2, pct:3) a buggy variant gets. */
const INLINE_BUDGET = 1000;
/** Controlled trials a buggy variant gets. */
const CONTROLLED_BUDGET = 300;

describe.each(BUGGY)('%s', (_name, s, code, title) => {
  it(`is found inline within ${INLINE_BUDGET} trials with its code and title`, () => {
    const r = firstFound(s, INLINE_BUDGET);
    expect(r?.findings.map((f) => [f.code, f.title])).toContainEqual([code, title]);
  });

  it(`is found on controlled threads within ${CONTROLLED_BUDGET} trials`, async () => {
    const results = await runTrials('controlled', s, CONTROLLED_BUDGET);
    expect(results.flatMap((r) => r.findings.map((f) => [f.code, f.title]))).toContainEqual([code, title]);
  }, 120_000);
});

describe.each([
  ['one domain', fillChecked],
  ['two domains, both unmapped by the revoke', twoDomains],
] as const)('iommufd fill under pages->mutex, checking revoked, and unfill untracking (the kernel), %s', (_what, s) => {
  it('stays clean over 20,000 inline and 500 controlled trials', async () => {
    await expectClean(s);
  }, 120_000);
});

describe('a release taking pages->mutex, then the resv lock (S20 (b))', () => {
  it('is reported through pages->mutex and the resv lock classes', () => {
    const f = firstFound(releaseMutexThenResv, 10)?.findings.find((x) => x.code === 'LOCKDEP_CIRCULAR');
    const classes = new Set((f?.lockdep ?? []).flatMap((d) => [d.from.key, d.to.key]));
    expect(classes).toEqual(new Set([siteId('iommufd_pages_mutex'), siteId(RESERVATION_CLASS_NAME)]));
  });
});
