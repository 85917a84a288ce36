/**
 * Trial runners: one campaign trial at a time under the executor the user chose, rotating over a
 * list of strategies (the portfolio). Every strategy gets its own executor so what a strategy
 * learns (PCT's step estimate, DFS's stack) stays its own — except under `controlled`, where one
 * set of actor threads serves every strategy (threads are costly to start) and strategies share
 * the arena's learned words (PCT's step estimate is the scenario's anyway). The schedule of a trial that found
 * something is read back at once, before the next trial overwrites the decision log.
 */
import { ControlledExecutor } from '../exec/controlled.js';
import { InlineExecutor } from '../exec/inline.js';
import { readDecisions, type Decision, type TrialResult } from '../exec/result.js';
import type { AnyScenario, Params } from '../exec/scenario.js';
import { StressExecutor } from '../exec/stress.js';
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
}

export interface RunnerTrial {
  readonly strategy: string;
  readonly result: TrialResult;
  /** The trial's schedule (empty when it made no findings: not worth copying). */
  readonly decisions: readonly Decision[];
}

export interface TrialRunner {
  /** Trial `i` of a campaign: strategy i mod k, seed `base + i`. */
  run(i: number, base: number): Promise<RunnerTrial> | RunnerTrial;
  close(): Promise<void>;
}

interface AnyExecutor {
  readonly arena: InlineExecutor['arena'];
  runTrial(seed: number): TrialResult | Promise<TrialResult>;
}

/** A runner for `s`; throws HarnessError(ERR_BAD_OPTION) for a strategy the executor cannot use. */
export function createRunner(s: AnyScenario, o: RunnerOptions): TrialRunner {
  if (o.executor === 'stress') {
    const ex = new StressExecutor(s, { params: o.params, durationMs: o.stressMs ?? 200 });
    return rotation(['stress'], [ex], () => ex.close());
  }
  if (o.executor === 'controlled') {
    const strategies = o.strategies.filter((x) => !inlineOnly(x));
    if (strategies.length === 0) throw new HarnessError('ERR_BAD_OPTION', `--strategy ${o.strategies.join(',')}: runs only under --executor inline`);
    const ex = new ControlledExecutor(s, { params: o.params });
    return rotation(strategies, strategies.map((strategy) => ({ arena: ex.arena, runTrial: (seed: number) => ex.runTrialAs(strategy, seed) })), () => ex.close());
  }
  const execs = o.strategies.map((strategy) => new InlineExecutor(s, { strategy, params: o.params }));
  return rotation(o.strategies, execs, async () => { for (const e of execs) e.close(); });
}

function rotation(strategies: readonly string[], execs: readonly AnyExecutor[], close: () => Promise<void>): TrialRunner {
  const finish = (k: number, result: TrialResult): RunnerTrial => ({
    strategy: strategies[k]!, result,
    decisions: result.findings.length === 0 ? [] : result.decisions ?? readDecisions(execs[k]!.arena, Math.min(result.steps, execs[k]!.arena.geometry.decisions)),
  });
  return {
    run(i, base) {
      const k = i % execs.length;
      const r = execs[k]!.runTrial(base + i);
      return r instanceof Promise ? r.then((res) => finish(k, res)) : finish(k, r);
    },
    close,
  };
}
