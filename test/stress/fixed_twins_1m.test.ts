/**
 * DESIGN §8 "zero false findings on every fixed twin over 1 M `inline` trials": every catalog
 * scenario expected clean is hunted for 1,000,000 inline trials with the default portfolio
 * (strategies omitted), fanned out over two tinypool workers as `hunt --jobs 2` does, and must
 * report no finding at all — none dropped either (a full findings table would hide one). Trial i
 * runs seed 1 + i, as without --jobs. About 100 s in all on 2 vCPUs (97 s measured) (the slowest twins run ~30k
 * trials/s a thread); each twin has its own time budget and test timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tinypool } from 'tinypool';
import { huntJobs, jobsPool } from '../../src/campaign/jobs.js';
import { CATALOG } from '../../scenarios/index.js';

const TRIALS = 1_000_000;
const JOBS = 2;
/** Hunt budget per twin; the test timeout leaves the pool's shutdown some room beyond it. */
const BUDGET_MS = 240_000;
const TIMEOUT_MS = BUDGET_MS + 30_000;

/** revoke-wait-bookkeep is the twin of both S1 and S2: hunt it once. */
const twins = [...new Map(CATALOG.filter((e) => e.scenario.expect === 'clean').map((e) => [e.scenario.name, e])).values()];

describe('fixed twins: no finding over 1 M inline portfolio trials (--jobs 2)', () => {
  let pool: Tinypool;
  beforeAll(() => { pool = jobsPool(JOBS); });
  afterAll(async () => { await pool.destroy(); });

  it('covers every clean catalog scenario', () => {
    expect(twins.length).toBeGreaterThanOrEqual(15);
  });

  it.each(twins.map((e) => [`${e.ref} ${e.scenario.name}`, e] as const))('%s', async (_, e) => {
    const r = await huntJobs(e.scenario, { trials: TRIALS, timeMs: BUDGET_MS, seed: 1 }, pool, JOBS);
    expect(r.findings.map((f) => `${f.kind}: ${f.title} (trial ${f.trial}, ${f.strategy})`)).toEqual([]);
    expect(r.dropped).toBe(0);
    expect(r.trials).toBe(TRIALS);
    expect(r.ok).toBe(true);
  }, TIMEOUT_MS);
});
