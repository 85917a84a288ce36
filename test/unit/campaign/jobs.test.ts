/** `--jobs` hunts merge batches that answer in any order: the first finding of a title is the
 *  one with the lowest trial number, and that is the one whose artifacts are written. */
import type { Tinypool } from 'tinypool';
import { describe, expect, it } from 'vitest';
import type { BatchMsg, BatchResult } from '../../../src/campaign/batch.js';
import type { HuntFinding } from '../../../src/campaign/hunt.js';
import { huntJobs } from '../../../src/campaign/jobs.js';
import { catalogScenarioNamed } from '../../../scenarios/index.js';

const scenario = catalogScenarioNamed('abba-no-ctx')!;

/** A finding of `title` at campaign trial `trial` (the fields a merge reads). */
function finding(title: string, trial: number): HuntFinding {
  return {
    kind: 'deadlock', title, code: 'DEADLOCK', actor: 0, step: 1, obj: 0, message: '', trial, seed: trial,
    strategy: 'random', executor: 'inline', decisions: [],
  };
}

/** A pool whose batches answer once all `n` were asked for, the last-asked first. */
function reversedPool(n: number, answer: (m: BatchMsg) => BatchResult): Tinypool {
  const asked: [BatchMsg, (r: BatchResult) => void][] = [];
  const run = (m: BatchMsg): Promise<BatchResult> => new Promise((resolve) => {
    asked.push([m, resolve]);
    if (asked.length === n) for (const [msg, done] of asked.reverse()) done(answer(msg));
  });
  return { run } as unknown as Tinypool;
}

describe('huntJobs', () => {
  it('keeps, and writes artifacts for, the lowest trial of a title when a later batch answers first', async () => {
    const pool = reversedPool(2, (m) => ({
      ran: m.to - m.from, dropped: 0, hung: false, firstExpected: m.from + 10, findings: [finding('deadlock in mutex_lock', m.from + 10)],
    }));
    const written: number[] = [];
    const report = await huntJobs(scenario, {
      trials: 512, timeMs: 60_000, seed: 1, strategies: ['random'], onFinding: (f) => { written.push(f.trial); },
    }, pool, 2);
    expect(report.findings.map((f) => f.trial)).toEqual([10]);
    expect(written).toEqual([10]);
    expect(report.firstExpected).toBe(10);
  });
});
