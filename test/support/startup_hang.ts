/**
 * A trial whose late actor thread does not take it up within the executor's start-up bound
 * (fixtures/stress/late_start.ts with a start far beyond the bound), as every threaded executor
 * must end it: aborted, one `hang in watchdog` naming an actor, long before the thread would
 * take the trial up.
 */
import { expect } from 'vitest';
import type { TrialResult } from '../../src/exec/result.js';

/** Run `trial` and assert it ended as above; returns its result for executor-specific checks. */
export async function expectStartupHang<R extends TrialResult>(trial: () => Promise<R>): Promise<R> {
  const t0 = performance.now();
  const r = await trial();
  expect(r.end).toBe('aborted');
  expect(r.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
  // The late actor's thread, or the other one's too when its worker started slowly.
  expect(r.findings[0]!.actor).toBeGreaterThanOrEqual(0);
  expect(performance.now() - t0, 'bounded: long before the late thread would take the trial up').toBeLessThan(10_000);
  return r;
}
