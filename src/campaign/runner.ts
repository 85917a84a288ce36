/**
 * Trial runners: campaign trials under the executor the user chose, rotating over a list of
 * strategies (the portfolio). One executor serves every strategy (inline: one arena; controlled:
 * one set of actor threads, costly to start), so what lockdep learns carries across strategies;
 * strategies keep their own state (DFS's stack) and share the arena's learned words (PCT's step
 * estimate is the scenario's anyway). Inline trials run in slices under one watchdog each
 * (InlineExecutor.runSlice); the threaded executors run one trial per call. The schedule of a
 * trial that found something is read back at once, before the next trial overwrites the log.
 */
import { ControlledExecutor } from '../exec/controlled.js';
import { InlineExecutor } from '../exec/inline.js';
import type { TrialResult } from '../exec/result.js';
import { SliceBuilder, type Slice, type SliceRequest } from '../exec/slice.js';
import type { AnyScenario, Params } from '../exec/scenario.js';
import { StressExecutor } from '../exec/stress.js';
import type { ThreadedExecutor } from '../exec/threaded.js';
import { HarnessError } from '../errno/errors.js';
import { inlineOnly } from '../sched/create.js';

export type ExecutorKind = 'inline' | 'controlled' | 'stress';

export const EXECUTORS: readonly ExecutorKind[] = ['inline', 'controlled', 'stress'];

export interface RunnerOptions {
  readonly executor: ExecutorKind;
  readonly strategies: readonly string[];
  readonly params?: Params | undefined;
  /** Stress: how long each trial runs before its actors are asked to stop (ms). */
  readonly stressMs?: number;
  /** Inline and controlled: a trial not ended after this long (ms) is a hang (ExecOptions);
   *  stress: a trial without progress for this long (StressOptions.stallMs). */
  readonly trialTimeoutMs?: number | undefined;
}

/** A slice of campaign trials, the runner's portfolio choosing each trial's strategy. */
export type RunnerRequest = Omit<SliceRequest, 'strategies'>;

export interface TrialRunner {
  /**
   * Campaign trials `from`, `from + 1`, … below `to` (trial j: strategy j mod k, seed
   * `base + j`): at least one; none starts after `ms`, and the run ends after a trial `stop`
   * accepts or a watchdog stopped (a hang). The threaded executors run one trial a call.
   */
  runSome(req: RunnerRequest): Promise<Slice> | Slice;
  /** How long trials have waited, all told, for actor threads to start (ms; 0 inline): a
   *  campaign's time budget leaves it out, as a loaded machine may take 20 s to start them. */
  startupMs(): number;
  close(): Promise<void>;
}

/** A runner for `s`; throws HarnessError(ERR_BAD_OPTION) for a strategy the executor cannot use. */
export function createRunner(s: AnyScenario, o: RunnerOptions): TrialRunner {
  if (o.executor === 'stress') {
    const ex = new StressExecutor(s, { params: o.params, durationMs: o.stressMs ?? 200, stallMs: o.trialTimeoutMs, schedule: 'stalls' });
    return oneAtATime(ex, ['stress'], (_, seed) => ex.runTrial(seed));
  }
  if (o.executor === 'controlled') {
    const strategies = o.strategies.filter((x) => !inlineOnly(x));
    if (strategies.length === 0) throw new HarnessError('ERR_BAD_OPTION', `--strategy ${o.strategies.join(',')}: runs only under --executor inline`);
    const ex = new ControlledExecutor(s, { params: o.params, trialTimeoutMs: o.trialTimeoutMs });
    return oneAtATime(ex, strategies, (strategy, seed) => ex.runTrialAs(strategy, seed));
  }
  const ex = new InlineExecutor(s, { params: o.params, trialTimeoutMs: o.trialTimeoutMs });
  ex.useStrategies(o.strategies);
  return {
    runSome: (req) => ex.runSlice({ ...req, strategies: o.strategies }),
    startupMs: () => 0,
    close: async () => { ex.close(); },
  };
}

/** A runner of one trial per call on threaded executor `ex`, rotating over `strategies`. */
function oneAtATime(ex: ThreadedExecutor<Params, unknown>, strategies: readonly string[],
  run: (strategy: string, seed: number) => Promise<TrialResult>): TrialRunner {
  return {
    async runSome(req) {
      const strategy = strategies[req.from % strategies.length]!;
      const slice = new SliceBuilder(ex.arena, req.keep);
      slice.add(req.from, strategy, await run(strategy, req.base + req.from));
      return slice.done();
    },
    startupMs: () => ex.startupMs,
    close: () => ex.close(),
  };
}
