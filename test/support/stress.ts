/** Shared assertions for ww stress runs (default tier: short; stress tier: 10 s). */
import { expect } from 'vitest';
import { StressExecutor } from '../../src/exec/stress.js';
import { withExecutor } from './executor.js';
import { BACKOFFS, ERRORS, PER_ACTOR, wwStress } from '../fixtures/stress/ww_stress.js';

/**
 * Run the ww stress workload `mode` and assert progress by every actor and a clean end. A short
 * warm-up trial first loads the actor threads, so a loaded machine's worker start-up does not eat
 * the measured window.
 */
export async function expectCleanStress(mode: string, waitDie: boolean, durationMs: number, actors = 4, locks = 16): Promise<void> {
  const ex = new StressExecutor(wwStress, {
    durationMs, injectChance: 0.02, params: { mode, waitDie, actors, locks },
    ...(locks > 64 ? { geometry: { mutexes: locks + 8 } } : {}),
  });
  const r = await withExecutor(ex, async (x) => {
    await x.runTrial(1, 20);
    return x.runTrial(durationMs ^ locks);
  });
  expect(r.end).toBe('done');
  expect(r.findings).toEqual([]);
  expect(r.user[ERRORS]).toBe(0);
  expect(r.user[BACKOFFS]).toBeGreaterThan(0);
  for (let i = 0; i < actors; i++) expect(r.user[PER_ACTOR + i], `rounds of actor ${i}`).toBeGreaterThan(0);
  expect(r.wallMs).toBeLessThan(durationMs + 5000);
}
