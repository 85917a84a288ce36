/** Shared assertions for ww stress runs (default tier: short; stress tier: 10 s). */
import { expect } from 'vitest';
import { BACKOFFS, ERRORS, wwStress } from '../fixtures/stress/ww_stress.js';
import { measureStress, starvedActors, unmeasuredActors } from './stress_progress.js';

/**
 * Run the ww stress workload `mode` and assert a clean end and progress by every actor: none ran
 * PROGRESS_CPU_MS on a CPU without a round (starved), and none was left without a round and
 * without that much CPU over PROGRESS_TRIALS trials (kept off the CPUs throughout, or asleep).
 */
export async function expectCleanStress(
  mode: string, waitDie: boolean, durationMs: number, actors = 4, locks = 16,
): Promise<void> {
  const params = { mode, waitDie };
  const { trials, takeUpMs, progress } = await measureStress(wwStress, params, durationMs, actors, locks);
  trials.forEach((r, i) => {
    expect(r.end).toBe('done');
    expect(r.findings).toEqual([]);
    expect(r.user[ERRORS]).toBe(0);
    // The duration counts from the take-up: the trial's wall time past it is the duration, the
    // grace and the teardown.
    expect(r.wallMs - takeUpMs[i]!).toBeLessThan(durationMs + 5000);
  });
  expect(trials.reduce((n, r) => n + r.user[BACKOFFS]!, 0)).toBeGreaterThan(0);
  expect(starvedActors(progress), 'actors starved').toEqual([]);
  expect(unmeasuredActors(progress), 'actors with no round and too little CPU').toEqual([]);
}
