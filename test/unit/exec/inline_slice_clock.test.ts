/**
 * When an inline hunt slice stops, and what it charges the trial it ends on (src/exec/inline.ts,
 * slice_verdict.ts, SliceClock): a slice of a clean scenario starts no trial once it has run its `ms` — each trial
 * counts from the end of the one before, not from the slice's start — and reads this thread's run
 * time only at its start while no trial takes the limit of wall time. A slice trial the watch
 * stopped is charged the CPU time of the watch less the wall time of the trials before it, so one
 * starved after busy trials still runs again; one that ran the limit of CPU is checked with the
 * wall time already spent on it, so the STARVED_LIMIT_FACTOR bound counts that time too. The
 * trials that spin run under a punctual watch (watches.ts), stopped in their spins however late
 * the watch runs out; the slice whose trial is stopped gives its earlier trial room (its ms and
 * the limit five times that trial's length), so a loaded machine's overheads do not end the slice
 * before the stop.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { STARVED_LIMIT_FACTOR } from '../../../src/exec/stall_clock.js';
import { catalogScenarioNamed } from '../../../scenarios/index.js';
import { ranPerWatch, runReadings } from '../../fixtures/exec/ran_per_watch.js';
import { setRunLengths, unevenTrial } from '../../fixtures/exec/uneven_trial.js';
import { punctualWatch } from '../../fixtures/exec/watches.js';
import { withExecutorSync } from '../../support/executor.js';

describe('an inline slice', () => {
  it('of a clean scenario ends near its ms with trials left, reading the run time once', () => {
    const ms = 25;
    const read = ranPerWatch(0);
    withExecutorSync(new InlineExecutor(catalogScenarioNamed('revoke-wait-bookkeep')!, { trialTimeoutMs: 2000, readRunNs: read }), (ex) => {
      const t0 = performance.now();
      const slice = ex.runSlice({ strategies: ['random'], from: 0, to: 1_000_000, base: 1, ms });
      const took = performance.now() - t0;
      expect([slice.hung, slice.ran > 0, slice.ran < 1_000_000]).toEqual([false, true, true]);
      expect(read.calls).toBe(1);
      // Its watch (ms + 2000) would stop a slice that did not see its own length.
      expect(took).toBeGreaterThanOrEqual(ms);
      expect(took).toBeLessThan(1000);
    });
  });

  it('charges a trial it stopped only the CPU time past the trials before it: starved, it runs again', () => {
    // Watch 500 + 500 ms. Trial 0 takes 100 ms and its overheads (less than the limit and the
    // slice's ms, however loaded the machine); trial 1 (2 s) is stopped at ~1000 ms having run
    // 520 − 100 = 420 ms of CPU in ~900 (starved: under the limit and STARVED_SHARE; it would be
    // the hang charged all 520 ms) — less, in more, the longer trial 0 took; its rerun takes 5 ms.
    const limit = 500;
    setRunLengths([100, 2000, 5]);
    const read = runReadings([0, limit + 20]);
    withExecutorSync(new InlineExecutor(unevenTrial, { trialTimeoutMs: limit, watch: punctualWatch, readRunNs: read }), (ex) => {
      const slice = ex.runSlice({ strategies: ['random'], from: 0, to: 1000, base: 1, ms: limit, keep: () => true });
      expect([slice.ran, slice.hung, slice.kept.map((k) => [k.result.end, k.result.findings])]).toEqual([2, false, [['done', []], ['done', []]]]);
      expect(read.left).toEqual([]);
    });
  });

  it(`checks a trial that ran the limit of CPU with the wall time it took: the hang once that reaches STARVED_LIMIT_FACTOR × the limit`, () => {
    const limit = 20;
    // The trial takes the whole bound of wall time and runs 700 ms of CPU; its check (the same
    // length) is stopped starved (1 ms of CPU): no time is left for a rerun, which would take 5 ms.
    const spin = limit * STARVED_LIMIT_FACTOR + 20;
    setRunLengths([spin, spin, 5]);
    const read = runReadings([0, 700, 700, 701]);
    withExecutorSync(new InlineExecutor(unevenTrial, { trialTimeoutMs: limit, watch: punctualWatch, readRunNs: read }), (ex) => {
      const slice = ex.runSlice({ strategies: ['random'], from: 0, to: 1, base: 1, ms: spin + 1000 });
      expect([slice.ran, slice.hung, slice.kept.map((k) => k.result.findings.map((f) => f.title))]).toEqual([1, true, [['hang in watchdog']]]);
      expect([read.calls, read.left]).toEqual([4, []]);
    });
  });
});
