// A domain detached from an IOAS (iopt_table_remove_domain) while VFIO revokes the dma-buf its
// area is filled from: the detach's unfill under pages->mutex (the kernel) never meets the revoke
// halfway — whichever comes first unmaps the domain, and the revoke walks only the domains still
// tracked —; without the mutex, a revoke between the detach's revoked check and its unmap unmaps
// the domain first and the detach unmaps the same range again (DMA_UNMAP_UNMAPPED).
import { describe, expect, it } from 'vitest';
import { runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';
import { detachLocked, detachUnlocked } from '../../fixtures/iommufd/detach_revoke.js';

const PAIR = ['DMA_UNMAP_UNMAPPED', 'dma-after-unmap in dma_unmap_sg'];

describe('iommufd detach without pages->mutex against a revoke', () => {
  it('is found inline within 1000 trials with its code and title', () => {
    expect(firstFound(detachUnlocked, 1000)?.findings.map((f) => [f.code, f.title])).toContainEqual(PAIR);
  });

  it('is found on controlled threads within 300 trials', async () => {
    const results = await runTrials('controlled', detachUnlocked, 300);
    expect(results.flatMap((r) => r.findings.map((f) => [f.code, f.title]))).toContainEqual(PAIR);
  }, 120_000);
});

describe('iommufd detach under pages->mutex against a revoke (the kernel)', () => {
  it('stays clean over 20,000 inline and 500 controlled trials', async () => {
    await expectClean(detachLocked);
  }, 120_000);
});
