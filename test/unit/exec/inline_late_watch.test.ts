/**
 * An inline watch that runs out late (its watchdog thread kept off a CPU past the limit: the stop
 * lands after the trial ended, while its result is collected): the trial ended, and is judged as
 * an end by its run time (starved_rerun.ts) — one that ran the limit of CPU is checked under the
 * limit's watch and is the hang, as on an idle machine; one that ran less keeps its own result,
 * run once, and counts as past setup. A slice trial stopped after it ended, where the slice reads
 * its run time, is judged the same way. A trial that threw keeps its exception. A watch that runs
 * out before its trial started finds it in setup (armed), not ended as the trial before. The late
 * watch is injected (ExecOptions.watch), the stop inside the reading made on purpose (busyAt); the
 * checks run under a punctual watch.
 */
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../src/errno/errors.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { defineScenario } from '../../../src/exec/scenario.js';
import { TIMED_OUT, type Watch } from '../../../src/exec/watchdog.js';
import {
  busyAt, ranPerWatch, ranWhileSpinning, runReadings,
} from '../../fixtures/exec/ran_per_watch.js';
import { lateWatch, punctualWatch } from '../../fixtures/exec/watches.js';
import { setRunLengths, unevenTrial } from '../../fixtures/exec/uneven_trial.js';
import { spinsStarted } from '../../fixtures/spin.js';
import { withExecutorSync } from '../../support/executor.js';

const TIMEOUT_MS = 100;
/** Each run of the trial takes 12 ms over the limit (a trial and its check). */
const OVER = [TIMEOUT_MS + 12, TIMEOUT_MS + 12];
/** Every run of the trial (up to ten: a check stopped before its spin runs again) takes 12 ms
 *  over the limit. */
const ALL_OVER = Array.from({ length: 10 }, () => TIMEOUT_MS + 12);

describe('an inline trial whose watch ran out late, after it ended', () => {
  it('is checked under the limit\'s watch when it ran the limit of CPU: the hang naming its actor', () => {
    // The thread runs the limit in a watch its spin ran in, none in one that stopped it before: a
    // check whose setup a loaded machine keeps off the CPU past the watch is starved and runs
    // again (ranWhileSpinning). The hang is the stop of a check's spin, after the late run's.
    setRunLengths(ALL_OVER);
    const watch = lateWatch([0]);
    const spins = spinsStarted();
    const opts = { trialTimeoutMs: TIMEOUT_MS, readRunNs: ranWhileSpinning(TIMEOUT_MS), watch };
    withExecutorSync(new InlineExecutor(unevenTrial, opts), (ex) => {
      const r = ex.runTrial(1);
      expect(r.findings.map((f) => [f.code, ex.actorNames[f.actor]])).toEqual([['watchdog', 'a']]);
      expect(spinsStarted() - spins).toBeGreaterThanOrEqual(2);
    });
  });

  it('keeps its own result, run once, when it ran less than the limit of CPU', () => {
    setRunLengths(OVER);
    const watch = lateWatch([0]);
    const read = ranPerWatch(10);
    withExecutorSync(new InlineExecutor(unevenTrial, { trialTimeoutMs: TIMEOUT_MS, readRunNs: read, watch }), (ex) => {
      const r = ex.runTrial(1);
      expect([r.end, r.findings, watch.calls, read.calls]).toEqual(['done', [], 1, 2]);
    });
  });

  it('counts as past setup: a check then stopped in setup unstarved is starved, not a broken setup', () => {
    // Run 1 ends late having run the limit (checked); the check is stopped in its 150 ms setup
    // having run 100 ms (not starved by its readings); run 3 is clean.
    setRunLengths([TIMEOUT_MS + 12, 20, 20], [0, 150, 0]);
    const read = runReadings([0, 100, 100, 200, 200, 205]);
    withExecutorSync(new InlineExecutor(unevenTrial, { trialTimeoutMs: TIMEOUT_MS, readRunNs: read, watch: lateWatch([0]) }), (ex) => {
      const r = ex.runTrial(1);
      expect([r.end, r.findings]).toEqual(['done', []]);
    });
  });
});

describe('an inline slice trial stopped after it ended, where the slice reads its run time', () => {
  const slice = (ex: Pick<InlineExecutor, 'runSlice'>) => ex.runSlice({ strategies: ['random'], from: 0, to: 1, base: 1, ms: 1000, keep: () => true });

  it('is checked when it ran the limit of CPU: the hang, as runTrial reports it', () => {
    // As runTrial's late end above: a check stopped before its spin is starved and runs again.
    setRunLengths(ALL_OVER);
    const read = busyAt(ranWhileSpinning(TIMEOUT_MS), 2);
    withExecutorSync(new InlineExecutor(unevenTrial, { trialTimeoutMs: TIMEOUT_MS, readRunNs: read, watch: punctualWatch }), (ex) => {
      const s = slice(ex);
      expect([s.ran, s.hung, s.kept.map((k) => k.result.findings.map((f) => f.code))]).toEqual([1, true, [['watchdog']]]);
    });
  });

  it('keeps its own result, not run again, when it ran less than the limit of CPU', () => {
    setRunLengths(OVER);
    const read = ranPerWatch(10);
    withExecutorSync(new InlineExecutor(unevenTrial, { trialTimeoutMs: TIMEOUT_MS, readRunNs: busyAt(read, 2), watch: punctualWatch }), (ex) => {
      const s = slice(ex);
      expect([s.ran, s.hung, s.kept.map((k) => [k.result.end, k.result.findings]), read.calls]).toEqual([1, false, [['done', []]], 2]);
    });
  });
});

describe('an inline watch that ran out before its trial started', () => {
  it('is not the previous trial\'s end: the trial runs again, its own result', () => {
    // The first watch of trial 2 runs out at once, however long trial 1 took (a loaded machine
    // may stop it, starved, and run it again): trial 2 then runs again under the next one.
    let stopNext = false;
    let calls = 0;
    const watch: Watch = (fn, ms) => {
      calls++;
      if (!stopNext) return punctualWatch(fn, ms);
      stopNext = false;
      return TIMED_OUT;
    };
    setRunLengths([]);
    const opts = { trialTimeoutMs: TIMEOUT_MS, readRunNs: ranPerWatch(0), watch };
    withExecutorSync(new InlineExecutor(unevenTrial, opts), (ex) => {
      ex.runTrial(1);
      stopNext = true;
      const before = calls;
      expect([ex.runTrial(2).seed, stopNext, calls - before >= 2]).toEqual([2, false, true]);
    });
  });
});

describe('an inline watch that ran out late, after its trial threw', () => {
  it('throws what the trial threw, not the refusal of a setup that did not return', () => {
    const planted = new HarnessError('ERR_BAD_OPTION', 'planted'); // passed through by prepare
    const throwing = defineScenario({
      name: 'setup-throws', module: import.meta.url, expect: 'clean', params: {},
      setup: () => { throw planted; },
      actors: () => unevenTrial.actors({}),
    });
    const opts = { trialTimeoutMs: TIMEOUT_MS, readRunNs: ranPerWatch(TIMEOUT_MS), watch: lateWatch([0]) };
    withExecutorSync(new InlineExecutor(throwing, opts), (ex) => {
      let thrown: unknown;
      try { ex.runTrial(1); } catch (err) { thrown = err; }
      expect(thrown).toBe(planted);
    });
  });
});
