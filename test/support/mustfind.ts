/**
 * Must-find pairs: a buggy scenario must be reported with its expected kind within a trial budget
 * (by random or PCT), and its fixed twin must stay clean over many inline and controlled trials.
 */
import { expect } from 'vitest';
import { InlineExecutor } from '../../src/exec/inline.js';
import type { TrialResult } from '../../src/exec/result.js';
import type { AnyScenario as Scenario } from '../../src/exec/scenario.js';
import { findingTitles, runTrials } from './both.js';

/** The first trial index (from seed 0) at which `s.expect` is reported, per strategy; -1 if never. */
export function trialsToFind(s: Scenario, strategies: readonly string[], budget: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const strategy of strategies) {
    const ex = new InlineExecutor(s, { strategy });
    out[strategy] = -1;
    for (let seed = 0; seed < budget; seed++) {
      if (ex.runTrial(seed).findings.some((f) => f.kind === s.expect)) { out[strategy] = seed; break; }
    }
  }
  return out;
}

/**
 * The first inline trial that reports a finding of `kind` (default `s.expect`): strategies in
 * turn, seeds 0 .. budget - 1 each; undefined when none does. For asserting on what exactly the
 * buggy variant reports.
 */
export function firstFound(s: Scenario, budget: number, strategies: readonly string[] = ['random', 'pct:2', 'pct:3'], kind: string = s.expect): TrialResult | undefined {
  for (const strategy of strategies) {
    const ex = new InlineExecutor(s, { strategy });
    for (let seed = 0; seed < budget; seed++) {
      const r = ex.runTrial(seed);
      if (r.findings.some((f) => f.kind === kind)) return r;
    }
  }
  return undefined;
}

/** The first `trials` inline trials of `s` per strategy (seeds 0 ..) that did not end clean, one
 *  line each, at most 5: `[]` when every trial ended done without findings. */
export function uncleanInline(s: Scenario, strategies: readonly string[], trials: number): string[] {
  const bad: string[] = [];
  for (const strategy of strategies) {
    const ex = new InlineExecutor(s, { strategy });
    for (let seed = 0; seed < trials && bad.length < 5; seed++) {
      const r = ex.runTrial(seed);
      if (r.end !== 'done' || r.findings.length > 0) bad.push(`${strategy} seed ${seed}: ${r.end} ${r.findings.map((f) => f.title).join(', ')}`);
    }
  }
  return bad;
}

/** Assert the buggy variant is found within `budget` inline trials by at least one strategy. */
export function expectFound(s: Scenario, budget = 1000): void {
  const found = trialsToFind(s, ['random', 'pct:2', 'pct:3'], budget);
  expect(Object.values(found).some((n) => n >= 0), `${s.name}: ${JSON.stringify(found)}`).toBe(true);
}

/** Assert the fixed twin stays clean over `inline` random+PCT trials and `controlled` trials. */
export async function expectClean(s: Scenario, inline = 20_000, controlled = 500): Promise<void> {
  expect(uncleanInline(s, ['random', 'pct:2', 'pct:3'], Math.ceil(inline / 3))).toEqual([]);
  expect(findingTitles(await runTrials('controlled', s, controlled, { leakCheck: true }))).toEqual([]);
}
