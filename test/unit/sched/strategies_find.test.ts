import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { Scenario } from '../../../src/exec/scenario.js';
import { abbaNoCtx } from '../../../scenarios/abba-no-ctx.js';
import { abbaWwBackoff } from '../../../scenarios/abba-ww-backoff.js';

/** Seed of the first trial (from 0) reporting `kind`, or -1 within `budget` trials. */
function firstFinding(s: Scenario, strategy: string, kind: string, budget: number): number {
  const ex = new InlineExecutor(s, { strategy });
  for (let seed = 0; seed < budget; seed++) {
    if (ex.runTrial(seed).findings.some((f) => f.kind === kind)) return seed;
  }
  return -1;
}

describe('pos and dfs on the catalog (inline executor)', () => {
  it.each(['pos', 'dfs:2'])('finds abba-no-ctx as a deadlock within 200 trials (%s)', (strategy) => {
    expect(firstFinding(abbaNoCtx as Scenario, strategy, 'deadlock', 200)).toBeGreaterThanOrEqual(0);
  });

  it('never finds the abba-no-ctx deadlock without preemptions (dfs:0)', () => {
    expect(firstFinding(abbaNoCtx as Scenario, 'dfs:0', 'deadlock', 50)).toBe(-1);
  });

  it('keeps abba-ww-backoff clean over 2,000 pos trials, backing off in some', () => {
    const ex = new InlineExecutor(abbaWwBackoff, { strategy: 'pos' });
    const bad: string[] = [];
    let backoffs = 0;
    for (let seed = 0; seed < 2000; seed++) {
      const r = ex.runTrial(seed);
      if (r.end !== 'done' || r.findings.length > 0) {
        bad.push(`seed ${seed}: ${r.end} ${r.findings.map((f) => f.title)}`);
      }
      if (r.steps > 8) backoffs++;
    }
    expect(bad).toEqual([]);
    expect(backoffs).toBeGreaterThan(0);
  });
});
