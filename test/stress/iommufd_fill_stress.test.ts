// The iommufd fill knobs on real threads. Either bug's window is one scheduling point wide: the
// fill's cond_resched inside iopt_area_fill_domains (iommu_map's allocation), between its
// `revoked` check — or none — and the install of the range; a VFIO revoke must complete in
// between. Under the stress executor's default delays (5 % of yields, at most 2,000 spins: a few
// µs) the fill is rarely held there that long: mostly the revoke comes first (the private map then
// refuses the revoked buffer, -ENODEV, and the VMM never fills) or after the VMM is done with the
// range — a find in 0–2 % of default trials, depending on the load (0 of 400 in one run, 4 of 200
// in another). A delay of up to 2,000,000 spins
// (about a millisecond) at 30 % of yields outlasts the revoke, so the catalog-shaped fixtures
// (fixtures/iommufd/fill_revoke.ts) find both bugs (about 6 % of trials each, measured at a load
// of 20 on 2 cores) and the kernel's fill stays clean under the same delays.
import { describe, expect, it } from 'vitest';
import { StressExecutor, type StressOptions } from '../../src/exec/stress.js';
import type { AnyScenario } from '../../src/exec/scenario.js';
import { fillChecked, fillUnchecked, fillUnlocked } from '../fixtures/iommufd/fill_revoke.js';
import { withExecutor } from '../support/executor.js';

const OPTS: StressOptions = { durationMs: 2000, delayChance: 0.3, maxDelaySpins: 2_000_000 };
/** Stress trials (seeds 1 .. n) a buggy fill gets to be found in. */
const BUDGET = 400;
/** Stress trials the kernel's fill must stay clean over. */
const CLEAN_TRIALS = 200;

/** The seed of the first trial (1 .. BUDGET) reporting [code, title], or -1. */
async function firstSeed(s: AnyScenario, code: string, title: string): Promise<number> {
  return withExecutor(new StressExecutor(s, OPTS), async (ex) => {
    for (let seed = 1; seed <= BUDGET; seed++) {
      const r = await ex.runTrial(seed);
      if (r.findings.some((f) => f.code === code && f.title === title)) return seed;
    }
    return -1;
  });
}

describe('iommufd fill races with a VFIO revoke on real threads (stress executor, long delays)', () => {
  it.each([
    [fillUnlocked.name, fillUnlocked],
    [fillUnchecked.name, fillUnchecked],
  ] as const)(`finds %s (use-after-revoke in dma_engine_access) within ${BUDGET} trials`, async (_name, s) => {
    expect(await firstSeed(s, 'DMA_USE_AFTER_REVOKE', 'use-after-revoke in dma_engine_access')).toBeGreaterThan(0);
  });

  it(`keeps ${fillChecked.name} clean over ${CLEAN_TRIALS} trials`, async () => {
    await withExecutor(new StressExecutor(fillChecked, OPTS), async (ex) => {
      for (let seed = 1; seed <= CLEAN_TRIALS; seed++) {
        const r = await ex.runTrial(seed);
        expect(r.findings.map((f) => f.title), `seed ${seed}`).toEqual([]);
        expect(r.end).toBe('done');
      }
    });
  });
});
