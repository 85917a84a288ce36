/**
 * Run a scenario under both the inline and the controlled executor with the same seeds, so a
 * kernel oracle is checked on one thread and on real worker threads alike.
 */
import { ControlledExecutor, type ControlledOptions } from '../../src/exec/controlled.js';
import { InlineExecutor } from '../../src/exec/inline.js';
import type { TrialResult } from '../../src/exec/result.js';
import type { Params, Scenario } from '../../src/exec/scenario.js';
import { withExecutor } from './executor.js';

export type ExecutorKind = 'inline' | 'controlled';
export const EXECUTORS: readonly ExecutorKind[] = ['inline', 'controlled'];

/**
 * Results of `trials` consecutive seeds (from `firstSeed`) under executor `kind`. Leak detection
 * is off unless `opts.leakCheck` says otherwise: the kernel-API oracle fixtures keep fences and
 * attachments alive on purpose; catalog scenarios are checked with it on (support/mustfind.ts).
 */
export async function runTrials<P extends Params, E>(
  kind: ExecutorKind, s: Scenario<P, E>, trials: number, options: ControlledOptions = {}, firstSeed = 0,
): Promise<TrialResult[]> {
  const opts: ControlledOptions = { leakCheck: false, ...options };
  const out: TrialResult[] = [];
  if (kind === 'inline') {
    const ex = new InlineExecutor(s, opts);
    for (let i = 0; i < trials; i++) out.push(ex.runTrial(firstSeed + i));
    return out;
  }
  return withExecutor(new ControlledExecutor(s, opts), async (ex) => {
    for (let i = 0; i < trials; i++) out.push(await ex.runTrial(firstSeed + i));
    return out;
  });
}

/** Titles of every finding of every trial, for `expect(...).toEqual([])` on clean runs. */
export function findingTitles(results: readonly TrialResult[]): string[] {
  return results.flatMap((r) => r.findings.map((f) => `seed ${r.seed}: ${f.code}: ${f.title}`));
}
