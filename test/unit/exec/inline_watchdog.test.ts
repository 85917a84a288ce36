/**
 * The inline executor's watchdog: a trial whose actor spins without a scheduling point is stopped
 * and reported as a hang in the watchdog naming that actor; the executor runs on afterwards, the
 * stopped trial's schedule stops again when replayed, a slice ends at the stopped trial, and a
 * setup that never returns is a refused scenario. The sleeping twin stays clean.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { stoppedByWatchdog, type TrialResult } from '../../../src/exec/result.js';
import { HarnessError } from '../../../src/errno/errors.js';
import { busyWait, setupSpins } from '../../fixtures/exec/busy_wait.js';
import { withExecutorSync } from '../../support/executor.js';

const TIMEOUT_MS = 100;
/** Trials in which random scheduling puts the waiter before the setter at least once (about half do). */
const BUDGET = 20;

function firstHang(ex: { runTrial(seed: number): TrialResult }): TrialResult | undefined {
  for (let seed = 0; seed < BUDGET; seed++) {
    const r = ex.runTrial(seed);
    if (stoppedByWatchdog(r)) return r;
  }
  return undefined;
}

describe('inline executor watchdog', () => {
  it(`stops a spinning actor's trial as a hang in the watchdog naming it (${BUDGET} trials)`, () => {
    withExecutorSync(new InlineExecutor(busyWait, { trialTimeoutMs: TIMEOUT_MS }), (ex) => {
      const r = firstHang(ex);
      expect(r?.end).toBe('aborted');
      const f = r!.findings.find((x) => x.code === 'watchdog');
      expect(f?.title).toBe('hang in watchdog');
      expect(ex.actorNames[f!.actor]).toBe('waiter');
      expect(r!.decisions?.length).toBe(r!.steps);
    });
  });

  it(`keeps the sleeping twin clean (${BUDGET} trials)`, () => {
    withExecutorSync(new InlineExecutor(busyWait, { trialTimeoutMs: TIMEOUT_MS, params: { wait: 'sleep' } }), (ex) => {
      for (let seed = 0; seed < BUDGET; seed++) expect(ex.runTrial(seed).findings).toEqual([]);
    });
  });

  it('runs later trials to their end after stopping one', () => {
    withExecutorSync(new InlineExecutor(busyWait, { trialTimeoutMs: TIMEOUT_MS }), (ex) => {
      const hung = firstHang(ex);
      expect(hung).toBeDefined();
      let seed = hung!.seed + 1;
      while (seed < hung!.seed + BUDGET && ex.runTrial(seed).end !== 'done') seed++;
      expect(ex.runTrial(seed).end).toBe('done');
    });
  });

  it('stops the stopped trial\'s schedule again when it is replayed on a fresh executor', () => {
    const ex = new InlineExecutor(busyWait, { trialTimeoutMs: TIMEOUT_MS });
    const hung = firstHang(ex);
    ex.close();
    withExecutorSync(new InlineExecutor(busyWait, { trialTimeoutMs: TIMEOUT_MS }), (again) => {
      const r = again.runTrial(hung!.seed, hung!.decisions);
      expect(r.findings.map((f) => [f.title, again.actorNames[f.actor]])).toEqual([['hang in watchdog', 'waiter']]);
    });
  });

  it('ends a slice at the trial it stopped, its last, with that trial\'s schedule', () => {
    withExecutorSync(new InlineExecutor(busyWait, { trialTimeoutMs: TIMEOUT_MS }), (ex) => {
      // A slice's watch is its length plus the trial timeout: the hang is stopped after ~120 ms.
      const slice = ex.runSlice({ strategies: ['random', 'pct:2'], from: 0, to: 1000, base: 0, ms: 20 });
      expect(slice.ran).toBeLessThan(1000);
      expect(slice.hung).toBe(true);
      expect(slice.kept.map((t) => [t.trial, stoppedByWatchdog(t.result)])).toEqual([[slice.ran - 1, true]]);
      const last = slice.kept[0]!;
      expect(last.strategy).toBe(['random', 'pct:2'][(slice.ran - 1) % 2]);
      expect(last.decisions.length).toBe(last.result.steps);
    });
  });

  it('refuses a scenario whose setup never returns (ERR_SCENARIO naming setup)', () => {
    withExecutorSync(new InlineExecutor(setupSpins, { trialTimeoutMs: TIMEOUT_MS }), (ex) => {
      expect(() => ex.runTrial(0)).toThrow(HarnessError);
      expect(() => ex.runTrial(0)).toThrow(expect.objectContaining({ code: 'ERR_SCENARIO', message: expect.stringContaining('setup') }) as Error);
    });
  });
});
