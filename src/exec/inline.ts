/**
 * The inline executor: every actor of a trial in this thread, one generator step per decision.
 * The fastest way to explore schedules; a schedule found here replays step for step under the
 * controlled executor because both run the same `decide` over the same arena state.
 *
 * Trials run under a watchdog (watchdog.ts): an actor that never yields would otherwise hang the
 * harness, so a trial still running after `trialTimeoutMs` is stopped and reported as a hang in
 * the watchdog naming the actor that held the turn, as the controlled executor reports it — unless
 * this thread was starved of a CPU rather than spinning: then the trial runs again from its seed
 * under a longer watch (starved_rerun.ts). What a trial runs — its tasks, stepped on this thread,
 * and its result — is inline_trial.ts; how a slice's last trial is judged when it ran the limit
 * of CPU or the watch stopped it is slice_verdict.ts; this file owns the strategies, the watch and
 * the slices.
 */
import { HarnessError } from '../errno/errors.js';
import { Arena } from '../shm/arena.js';
import { C_STEP, C_TURN, TRIAL_ABORTED } from '../shm/layout.js';
import { createScheduler } from '../sched/create.js';
import { StrategySet } from '../sched/strategy_set.js';
import type { Scheduler } from '../sched/scheduler.js';
import { GuidedScheduler } from '../sched/guided.js';
import { loadModules, scenarioModules, moduleFailureResult, refusalOf, scenarioFile, type ModuleLoadOutcome } from './modules.js';
import { schedViews, type Follow } from './prepare.js';
import type { Decision, TrialResult } from './result.js';
import { PARAM_VALUES, resolveParams, scenarioActors, type Params, type Scenario } from './scenario.js';
import { SliceBuilder, type Slice, type SliceRequest } from './slice.js';
import type { SliceClock } from './slice_clock.js';
import { SliceVerdict } from './slice_verdict.js';
import { endSchedule, endTrial } from './step.js';
import { CarriedState } from './carried_state.js';
import { InlineTrial } from './inline_trial.js';
import { readOwnRunNs, STARVED, StarvedRerun, type OverRun, type RunReader, type StoppedRun } from './starved_rerun.js';
import { TIMED_OUT, watched, type Watch } from './watchdog.js';
import { INLINE_TRIAL_TIMEOUT_MS, type ExecOptions } from './exec_options.js';

let hangs = 0;

/** How many trials the inline executors of this thread have ended as hangs in the watchdog
 *  (after any starved reruns: one per hang reported, however many watches it took). For tests
 *  and diagnostics: what a campaign paid the watchdog, counted rather than timed. */
export function inlineHangs(): number {
  return hangs;
}

export class InlineExecutor<P extends Params = Params, E = unknown> {
  readonly arena: Arena;
  readonly actorNames: readonly string[];
  private readonly scenario: Scenario<P, E>;
  private readonly params: P;
  /** What a trial runs: its tasks, stepped on this thread. */
  private readonly trial: InlineTrial<P, E>;
  /** Strategies by spec; all run on this one arena, so what lockdep learns carries across a
   *  portfolio's strategies as under the controlled executor. */
  private readonly strategies: StrategySet;
  private readonly replaySched: Scheduler;
  /** The strategy of guided trials; its preemption count describes the last one. */
  readonly guided: GuidedScheduler;
  private readonly opts: ExecOptions;
  private closed = false;
  private readonly modules: ModuleLoadOutcome;
  private readonly rerun: StarvedRerun;
  private readonly readRun: RunReader;
  private readonly watch: Watch;
  /** What the trial being watched found carried over from earlier ones, for its rerun. */
  private readonly carried: CarriedState;
  /** How a slice's last trial is judged when it ran the limit of CPU or the watch stopped it. */
  private readonly verdict: SliceVerdict;

  constructor(scenario: Scenario<P, E>, opts: ExecOptions = {}) {
    this.scenario = scenario;
    this.opts = opts;
    this.params = resolveParams(scenario, opts.params, PARAM_VALUES, true);
    const defs = scenarioActors(scenario, this.params);
    this.arena = Arena.create({ ...scenario.geometry, ...opts.geometry, actors: defs.length + 1 });
    this.modules = loadModules(scenarioModules(scenario, this.arena.geometry), this.params, scenario.allowMissingNamespaceImports === true);
    this.trial = new InlineTrial({ arena: this.arena, scenario, params: this.params, defs, opts, symtabs: this.modules.symtabs });
    this.actorNames = this.trial.actorNames;
    const views = schedViews(this.arena);
    this.strategies = new StrategySet(views, true);
    this.strategies.get(opts.strategy ?? 'random');
    this.replaySched = createScheduler('replay', views);
    this.guided = new GuidedScheduler(views);
    this.readRun = opts.readRunNs ?? readOwnRunNs;
    this.watch = opts.watch ?? watched;
    this.rerun = new StarvedRerun(this.timeoutMs(), this.readRun);
    this.carried = new CarriedState(this.arena);
    this.verdict = new SliceVerdict({
      rerun: this.rerun,
      readRun: this.readRun,
      trialEnded: () => this.trial.phase === 'ended',
      result: () => this.trial.result(false),
      tell: (strategy) => endSchedule(this.arena, this.strategies.get(strategy)),
      runAgain: (strategy, seed, earlier) => this.sliceRerun(strategy, seed, earlier),
    });
  }

  /**
   * Run one trial with `seed` under the executor's strategy; with `replay`, follow that schedule
   * instead — exactly (a divergence ends the trial) or, with `follow` = 'guided', as far as it
   * applies. A trial the watchdog stops ends as a hang in the watchdog, or runs again when it was
   * starved (starved_rerun.ts). Throws the scenario's
   * refusal (ERR_SCENARIO) when a task runs code of a module the scenario does not list, or
   * when setup does not return within the trial timeout.
   */
  runTrial(seed: number, replay?: readonly Decision[], follow: Follow = 'exact'): TrialResult {
    this.assertOpen();
    if (!this.modules.ok) return moduleFailureResult(seed, this.modules);
    const sched = replay === undefined ? this.strategies.get(this.opts.strategy ?? 'random') : follow === 'guided' ? this.guided : this.replaySched;
    return this.watchedTrial(sched, seed, replay, follow);
  }

  /**
   * Run campaign trials `req.from`, `req.from + 1`, … under one watch (starting a watch costs
   * ~50 µs, a trial's own length): see SliceRequest for which run. The slice also ends after a
   * trial the watchdog stopped, or one that ran the limit of CPU time, which is its last: run
   * again as `runTrial` runs it (starved, or checked under the limit's watch), it is counted with
   * the result it comes back with. One the watch stopped after it ended is judged as an end:
   * before sliceTrial judged it (its result's collection, the run-time reading), checked when it
   * ran the limit of CPU, else its own result; after (the slice's bookkeeping), its own result,
   * not run again (these verdicts: slice_verdict.ts). A watch that ran out before the first trial
   * started (this thread starved from its start) leaves that trial to run as `runTrial` runs it:
   * a slice runs at least its first trial. Throws as `runTrial`, and ERR_BAD_OPTION for an
   * unknown strategy.
   */
  runSlice(req: SliceRequest): Slice {
    this.assertOpen();
    const slice = new SliceBuilder(this.arena, req.keep);
    let strategy = '';
    let started = 0;
    let over = false; // ended after running the limit of CPU: checked, as runTrial does
    const t0 = performance.now();
    const at: SliceClock = { t0, trialT0: t0, run0: this.readRun(), ended: undefined, told: false };
    const strategyOf = (i: number): string => req.strategies[i % req.strategies.length]!;
    const r = this.watch(() => {
      for (let i = req.from; i < req.to; i++) {
        this.carried.take();
        strategy = strategyOf(i);
        at.ended = undefined;
        at.told = false;
        this.trial.arm();
        started++;
        const got = this.sliceTrial(strategy, req.base + i, at);
        if (got === undefined) { over = true; break; }
        slice.add(i, strategy, got);
        if (req.stop?.(got) === true || at.trialT0 - at.t0 >= req.ms) break;
      }
    }, req.ms + this.timeoutMs());
    const i = req.from + slice.count;
    if (over) slice.add(i, strategy, this.verdict.over(strategy, req.base + i, at));
    else if (r === TIMED_OUT && slice.count < started) {
      if (at.ended !== undefined) slice.add(i, strategy, this.verdict.ended(strategy, at), true);
      else slice.add(i, strategy, this.verdict.stopped(strategy, req.base + i, at));
    } else if (r === TIMED_OUT && started === 0) {
      slice.add(i, strategyOf(i), this.unstartedTrial(strategyOf(i), req.base + i));
    }
    return slice.done();
  }

  /** The result of slice trial `seed` (under `strategy`), the first of its slice, which the
   *  slice's watch ran out before it started (this thread was kept off the CPU from the watch's
   *  start: none of the trial ran, so none of it is stopped or charged): run as `runTrial` runs
   *  it, under a watch of its own, so a slice runs at least its first trial. */
  private unstartedTrial(strategy: string, seed: number): TrialResult {
    if (!this.modules.ok) return moduleFailureResult(seed, this.modules);
    return this.sliceRerun(strategy, seed);
  }

  /** Slice trial `seed` under `strategy` run again, or for the first time, as `runTrial` runs
   *  it (watchedTrial; `earlier`: the run the slice made of it). */
  private sliceRerun(strategy: string, seed: number, earlier?: StoppedRun | OverRun): TrialResult {
    return this.watchedTrial(this.strategies.get(strategy), seed, undefined, 'exact', earlier);
  }

  /** Build the strategies `specs` now, so a bad one is refused (ERR_BAD_OPTION) before any
   *  trial. */
  useStrategies(specs: readonly string[]): void {
    for (const spec of specs) this.strategies.get(spec);
  }

  /** Give the arena back for reuse (arena_pool.ts); the executor runs no trial after this. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.arena.release();
  }

  /**
   * Run one trial under the watchdog, again while it is stopped starved (starved_rerun.ts; before
   * each rerun the strategy is told, `Scheduler.restart`, and what the trial found carried over
   * from earlier ones is put back, `CarriedState`: the rerun's result is the one the trial would
   * have had unstopped; a rerun that ran over the limit of CPU runs once more under the limit's
   * watch, the same way); `earlier`: a run of it already made, started after `this.carried` was
   * taken. A stop after the trial ended (a watch that ran out late) is that run's end, judged as
   * one (starved_rerun.ts), and the run got past setup. Once a run got past setup, a stop in setup
   * is starvation (STARVED), not a broken setup. The strategy is told the trial ended
   * (`endSchedule`) only once its result stands: a run that ended may still run again. The result
   * of the run that ended, or the hang of the last one stopped (`stopped()`).
   */
  private watchedTrial(sched: Scheduler, seed: number, replay: readonly Decision[] | undefined, follow: Follow, earlier?: StoppedRun | OverRun): TrialResult {
    let again = earlier !== undefined;
    let pastSetup = again && this.trial.phase !== 'setup';
    if (!again) this.carried.take();
    const r = this.rerun.run((ms) => {
      if (again) {
        sched.restart?.();
        this.carried.restore();
      }
      again = true;
      this.trial.arm();
      const out = this.watch(() => this.unendedTrial(sched, seed, replay, follow), ms);
      const phase = this.trial.phase;
      if (out === TIMED_OUT && phase === 'setup' && pastSetup) return STARVED;
      pastSetup ||= phase !== 'setup';
      return out === TIMED_OUT && phase === 'ended' ? this.trial.result(replay !== undefined) : out;
    }, earlier);
    if (r === TIMED_OUT) return this.stopped(sched, pastSetup);
    endSchedule(this.arena, sched);
    return r;
  }

  /**
   * Run slice trial `seed` under `strategy`, started at `at.trialT0`, to its end: its result, told
   * to the strategy, its end read into `at.trialT0` (the next trial's start) — or undefined when
   * it ran the limit of CPU time (SliceVerdict.ranLimit: the run over the limit is left for the
   * check, SliceVerdict.over; not told, `at` unchanged). A scenario whose modules did not load
   * makes its failure result instead (modules.ts). Precondition: under a watch.
   */
  private sliceTrial(strategy: string, seed: number, at: SliceClock): TrialResult | undefined {
    if (!this.modules.ok) {
      at.trialT0 = performance.now();
      return moduleFailureResult(seed, this.modules);
    }
    const sched = this.strategies.get(strategy);
    const r = this.unendedTrial(sched, seed, undefined, 'exact');
    const end = performance.now();
    if (this.verdict.ranLimit(at, end)) return undefined;
    at.ended = r;
    endSchedule(this.arena, sched);
    at.told = true;
    at.trialT0 = end;
    return r;
  }

  /** Run one trial to its end without telling its strategy it ended (`endSchedule`: a DFS strategy
   *  would move past its schedule). Precondition: under a watch. */
  private unendedTrial(sched: Scheduler, seed: number, replay: readonly Decision[] | undefined, follow: Follow): TrialResult {
    try {
      return this.trial.run(sched, seed, replay, follow);
    } catch (err) {
      throw refusalOf(this.scenario, err);
    }
  }

  /**
   * The result of the trial the watchdog stopped in setup or among its actors (a stop after it
   * ended is that end: watchedTrial): a hang in the watchdog naming the actor that held the turn
   * (its strategy does not learn from it, as from a step-limit trial) — or, when the arena shows
   * the trial had just ended by itself (stopped after its last step, before its phase said so),
   * its own result, told to `sched` and not counted as a hang. A setup that returned in no run of
   * the trial (`pastSetup`) is a broken scenario: throws ERR_SCENARIO naming its file and `setup`.
   */
  private stopped(sched: Scheduler, pastSetup: boolean): TrialResult {
    const a = this.arena;
    if (this.trial.phase === 'setup' && !pastSetup) {
      throw new HarnessError('ERR_SCENARIO', `${scenarioFile(this.scenario)}: scenario ${this.scenario.name}: setup: did not return within ${this.timeoutMs()} ms`);
    }
    if (endTrial(a, TRIAL_ABORTED, a.ctl(C_TURN), a.ctl(C_STEP))) hangs++;
    else endSchedule(a, sched);
    return this.trial.result(true);
  }

  private timeoutMs(): number {
    return this.opts.trialTimeoutMs ?? INLINE_TRIAL_TIMEOUT_MS;
  }

  private assertOpen(): void {
    if (this.closed) throw new HarnessError('ERR_CLOSED', `inline executor for ${this.scenario.name}: trial after close()`);
  }
}
