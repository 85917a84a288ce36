import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../src/exec/inline.js';
import type { Scenario } from '../../src/exec/scenario.js';
import { abbaNoCtx } from '../../scenarios/abba-no-ctx.js';
import { abbaWwBackoff } from '../../scenarios/abba-ww-backoff.js';
import { recursiveResvLock } from '../../scenarios/recursive-resv-lock.js';
import { resvLockOnce } from '../../scenarios/resv-lock-once.js';
import { runTrials, findingTitles } from '../support/both.js';

/** Seed of the first trial (from 0) reporting `kind`, or -1 within `budget` trials. */
function firstFinding(s: Scenario, strategy: string, kind: string, budget: number): number {
  const ex = new InlineExecutor(s, { strategy });
  for (let seed = 0; seed < budget; seed++) {
    if (ex.runTrial(seed).findings.some((f) => f.kind === kind)) return seed;
  }
  return -1;
}

describe('S16 ABBA on reservation locks', () => {
  it.each(['random', 'pct:2', 'pct:3'])('finds abba-no-ctx as a deadlock within 200 trials (%s)', (strategy) => {
    expect(firstFinding(abbaNoCtx as Scenario, strategy, 'deadlock', 200)).toBeGreaterThanOrEqual(0);
  });

  it.each(['random', 'pct:2', 'pct:3'])('keeps abba-ww-backoff clean over 10,000 inline trials (%s)', (strategy) => {
    const ex = new InlineExecutor(abbaWwBackoff, { strategy });
    const bad: string[] = [];
    let backoffs = 0;
    for (let seed = 0; seed < 10_000; seed++) {
      const r = ex.runTrial(seed);
      if (r.end !== 'done' || r.findings.length > 0) bad.push(`seed ${seed}: ${r.end} ${r.findings.map((f) => f.title)}`);
      if (r.steps > 8) backoffs++;
    }
    expect(bad).toEqual([]);
    expect(backoffs).toBeGreaterThan(0);
  });

  it('keeps abba-ww-backoff clean over 500 controlled trials', async () => {
    const results = await runTrials('controlled', abbaWwBackoff, 500);
    expect(findingTitles(results)).toEqual([]);
  });
});

describe('S17 recursive reservation lock', () => {
  it('finds recursive-resv-lock as a self-deadlock (cycle of one) on the first trial', () => {
    const r = new InlineExecutor(recursiveResvLock).runTrial(0);
    const f = r.findings.find((x) => x.kind === 'deadlock');
    expect(f?.waits?.length).toBe(1);
    expect(f?.waits?.[0]?.next).toBe(f?.waits?.[0]?.actor);
  });

  it('keeps resv-lock-once clean over 2,000 trials', () => {
    const ex = new InlineExecutor(resvLockOnce);
    for (let seed = 0; seed < 2000; seed++) expect(ex.runTrial(seed).findings).toEqual([]);
  });
});
