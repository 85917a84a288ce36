/**
 * The inline executor's watchdog: a trial whose actor spins without a scheduling point is stopped
 * and reported as a hang in the watchdog naming that actor; the executor runs on afterwards, the
 * stopped trial's schedule stops again when replayed, a slice ends at the stopped trial, and a
 * setup that never returns is a refused scenario. The sleeping twin stays clean. A trial stopped
 * while this thread was starved of a CPU (an injected run-time reader says how long it ran) runs
 * again from its seed and comes back with its own result; one that ran the limit, or that stays
 * starved up to STARVED_LIMIT_FACTOR × the limit of wall time, or where no run time is known, is
 * the hang, as is one whose rerun ran the limit of CPU and is stopped under the limit's watch —
 * or a slice trial that ran the limit of CPU, checked the same way (on the same DFS schedule). A check stopped in a setup
 * that returned in an earlier run is starved, not a refused scenario. The tests that inject run
 * times run under a punctual watch (watches.ts): their spins are stopped where an idle machine
 * stops them, however late the watch runs out on a loaded one; a test whose trial's setup or
 * steps could outlast a watch there has its thread run only while it spins (ranWhileSpinning).
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { stoppedByWatchdog, type TrialResult } from '../../../src/exec/result.js';
import { HarnessError } from '../../../src/errno/errors.js';
import { STARVED_LIMIT_FACTOR } from '../../../src/exec/stall_clock.js';
import { busyWait, setupSpins } from '../../fixtures/exec/busy_wait.js';
import { ranPerWatch, ranWhileSpinning, runReadings } from '../../fixtures/exec/ran_per_watch.js';
import { slowTrial } from '../../fixtures/exec/slow_trial.js';
import { setRunLengths, unevenTrial } from '../../fixtures/exec/uneven_trial.js';
import { punctualWatch } from '../../fixtures/exec/watches.js';
import { spinsStarted } from '../../fixtures/spin.js';
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

  describe('a trial stopped while starved', () => {
    it('runs again and comes back clean when the thread ran 10 ms of the 100 ms watch', () => {
      withExecutorSync(new InlineExecutor(slowTrial, { trialTimeoutMs: TIMEOUT_MS, watch: punctualWatch, readRunNs: ranPerWatch(10) }), (ex) => {
        const r = ex.runTrial(0);
        expect([r.end, r.findings]).toEqual(['done', []]);
      });
    });

    it('is the hang, not run again, once the thread ran the limit in the watch that stopped it', () => {
      // The thread runs the limit in a watch its spin ran in, none in one that stopped it before
      // (a setup kept off the CPU past the watch on a loaded machine: starved, run again). So the
      // spin starts once: in the watch that ran the limit, after which nothing runs again.
      const spins = spinsStarted();
      const read = ranWhileSpinning(TIMEOUT_MS);
      const opts = { trialTimeoutMs: TIMEOUT_MS, watch: punctualWatch, readRunNs: read };
      withExecutorSync(new InlineExecutor(slowTrial, opts), (ex) => {
        expect(ex.runTrial(0).findings.map((f) => f.title)).toEqual(['hang in watchdog']);
        expect(spinsStarted() - spins).toBe(1);
      });
    });

    it(`is the hang once STARVED_LIMIT_FACTOR × the limit of wall time is spent on it`, () => {
      const limit = 20;
      withExecutorSync(new InlineExecutor(busyWait, { trialTimeoutMs: limit, readRunNs: ranPerWatch(1) }), (ex) => {
        const t0 = performance.now();
        const r = firstHang(ex);
        expect(r?.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
        expect(performance.now() - t0).toBeGreaterThanOrEqual(limit * STARVED_LIMIT_FACTOR);
      });
    });

    it('is the hang when its rerun ended after running the limit of CPU and is stopped under the limit\'s watch', () => {
      // This thread's run time at each reading (ms): 10 in the first watch, 200 in the rerun.
      const read = runReadings([0, 10, 10, 210]);
      withExecutorSync(new InlineExecutor(slowTrial, { trialTimeoutMs: TIMEOUT_MS, watch: punctualWatch, readRunNs: read }), (ex) => {
        const r = ex.runTrial(0);
        expect(r.findings.map((f) => [f.title, ex.actorNames[f.actor]])).toEqual([['hang in watchdog', 'worker']]);
        expect(read.left).toEqual([]);
      });
    });

    it('checks a rerun that ran over the limit on the same DFS schedule, and the strategy moves past it once', () => {
      const runs = (ex: { runTrial(seed: number): TrialResult }): unknown[] => [0, 1, 2].map((seed) => ex.runTrial(seed).decisions);
      setRunLengths([]);
      const plain = withExecutorSync(new InlineExecutor(unevenTrial, { strategy: 'dfs:1', decisions: true }), runs);
      // Trial 0: stopped (300 ms), its rerun ends (20 ms) having run 200 ms of CPU, the check ends.
      setRunLengths([300, 20, 20]);
      const read = runReadings([0, 10, 10, 210]);
      withExecutorSync(new InlineExecutor(unevenTrial, { strategy: 'dfs:1', decisions: true, trialTimeoutMs: TIMEOUT_MS, watch: punctualWatch, readRunNs: read }), (ex) => {
        expect(runs(ex)).toEqual(plain);
        expect(read.left).toEqual([]);
      });
      expect(new Set(plain.map((d) => JSON.stringify(d))).size).toBe(3);
    });

    it('checks a slice trial that ran over the limit on the same DFS schedule, and the strategy moves past it once', () => {
      const opts = { strategy: 'dfs:1', decisions: true, trialTimeoutMs: TIMEOUT_MS, watch: punctualWatch } as const;
      const slice = (ex: Pick<InlineExecutor, 'runSlice'>, from: number, to: number): unknown[] =>
        ex.runSlice({ strategies: ['dfs:1'], from, to, base: 0, ms: 60_000, keep: () => true }).kept.map((k) => k.result.decisions);
      setRunLengths([]);
      const plain = withExecutorSync(new InlineExecutor(unevenTrial, opts), (ex) => slice(ex, 0, 3));
      // Trial 0 takes 112 ms having run 200 ms of CPU: the slice ends; its check ends (20 ms).
      setRunLengths([TIMEOUT_MS + 12, 20]);
      const read = runReadings([0, 200]);
      withExecutorSync(new InlineExecutor(unevenTrial, { ...opts, readRunNs: read }), (ex) => {
        expect(slice(ex, 0, 3)).toEqual([plain[0]]);
        expect(read.left).toEqual([]);
        expect(slice(ex, 1, 3)).toEqual(plain.slice(1));
      });
      expect(new Set(plain.map((d) => JSON.stringify(d))).size).toBe(3);
    });

    it('runs again, not refusing the scenario, when the check is stopped in a setup that returned in the rerun before', () => {
      // Stopped (150 ms), starved (10 ms of CPU); the rerun ends having run 200 ms; the check's
      // setup takes 150 ms (kept off the CPU), so the check is stopped in setup.
      setRunLengths([150, 20, 20], [0, 0, 150]);
      const read = runReadings([0, 10, 10, 210]);
      withExecutorSync(new InlineExecutor(unevenTrial, { trialTimeoutMs: TIMEOUT_MS, watch: punctualWatch, readRunNs: read }), (ex) => {
        const r = ex.runTrial(0);
        expect([r.end, r.findings]).toEqual(['done', []]);
      });
    });

    it('is the hang at the first stop where the OS reports no run times (the wall-clock rule)', () => {
      const read = ranPerWatch(undefined);
      withExecutorSync(new InlineExecutor(slowTrial, { trialTimeoutMs: TIMEOUT_MS, watch: punctualWatch, readRunNs: read }), (ex) => {
        expect(ex.runTrial(0).findings.map((f) => f.title)).toEqual(['hang in watchdog']);
        expect(read.calls).toBe(2);
      });
    });

    it('runs a slice\'s stopped trial again: the slice ends with its clean result, not hung', () => {
      withExecutorSync(new InlineExecutor(slowTrial, { trialTimeoutMs: TIMEOUT_MS, watch: punctualWatch, readRunNs: ranPerWatch(10) }), (ex) => {
        const slice = ex.runSlice({ strategies: ['random'], from: 0, to: 1000, base: 0, ms: 20 });
        expect([slice.ran, slice.hung, slice.kept]).toEqual([1, false, []]);
      });
    });

    it('checks a slice trial that ran the limit of CPU under the limit\'s watch: the hang, as runTrial reports it', () => {
      // Every run spins past the limit, running the limit of CPU in a watch it spins in and none
      // in one that stops it before (ranWhileSpinning): a setup kept off the CPU past a watch on a
      // loaded machine is starved, as real readings say, and runs again. The slice's watch (its ms
      // plus the limit) outlasts its trial's spin, so the slice ends on the over-limit check.
      const spinsPastLimit = (): void => setRunLengths(Array.from({ length: 10 }, () => TIMEOUT_MS + 12));
      spinsPastLimit();
      const sliced = withExecutorSync(new InlineExecutor(unevenTrial, { trialTimeoutMs: TIMEOUT_MS, watch: punctualWatch, readRunNs: ranWhileSpinning(TIMEOUT_MS) }), (ex) =>
        ex.runSlice({ strategies: ['random'], from: 0, to: 1, base: 1, ms: 1000, keep: () => true }));
      spinsPastLimit();
      const single = withExecutorSync(new InlineExecutor(unevenTrial, { trialTimeoutMs: TIMEOUT_MS, watch: punctualWatch, readRunNs: ranWhileSpinning(TIMEOUT_MS) }), (ex) => ex.runTrial(1));
      expect(single.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
      expect([sliced.ran, sliced.hung, sliced.kept.map((k) => k.result.findings.map((f) => f.title))]).toEqual([1, true, [['hang in watchdog']]]);
    });

    it('keeps a slice trial\'s own result when it took the limit of wall time but ran less of CPU', () => {
      setRunLengths([TIMEOUT_MS + 12]);
      withExecutorSync(new InlineExecutor(unevenTrial, { trialTimeoutMs: TIMEOUT_MS, watch: punctualWatch, readRunNs: ranPerWatch(10) }), (ex) => {
        const slice = ex.runSlice({ strategies: ['random'], from: 0, to: 1, base: 1, ms: 25, keep: () => true });
        expect([slice.ran, slice.hung, slice.kept.map((k) => k.result.end)]).toEqual([1, false, ['done']]);
      });
    });

    it('runs a replayed trial again as it ran: the same schedule, clean', () => {
      const first = withExecutorSync(new InlineExecutor(slowTrial, { trialTimeoutMs: 1000, decisions: true }), (ex) => ex.runTrial(3));
      withExecutorSync(new InlineExecutor(slowTrial, { trialTimeoutMs: TIMEOUT_MS, watch: punctualWatch, readRunNs: ranPerWatch(10) }), (ex) => {
        const r = ex.runTrial(3, first.decisions);
        expect([r.end, r.findings, r.decisions]).toEqual(['done', [], first.decisions]);
      });
    });
  });
});
