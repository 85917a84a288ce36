/**
 * The controlled executor, main-thread side: one worker thread per actor, exactly one holding the
 * turn. The main thread prepares the trial, makes the first decision, and waits; the actors
 * decide among themselves (controlled-actor.ts). A trial that does not end in `trialTimeoutMs`
 * (an actor running without yielding) is aborted, reported as a hang, and its workers terminated.
 */
import {
  C_STEP, C_TURN, EXEC_CONTROLLED, TRIAL_ABORTED, TRIAL_CRASH,
} from '../shm/layout.js';
import { shareDeviceMemory } from '../shm/devmem.js';
import { StrategySet } from '../sched/strategy_set.js';
import { handoff, wakeAllSeats } from './controlled-actor.js';
import { DEFAULT_STEP_LIMIT, type ExecOptions } from './inline.js';
import type { ActorTaskMsg } from './messages.js';
import { moduleFailureResult } from './modules.js';
import { withinMs } from './waits.js';
import { prepareTrial, schedViews, type Follow } from './prepare.js';
import { collectResult, type Decision, type TrialResult } from './result.js';
import type { Params, Scenario } from './scenario.js';
import { ThreadedExecutor } from './threaded.js';
import { chooseWaitPolicy, type WaitPolicyName } from './wait_policy.js';
import { decide, endSchedule, endTrial } from './step.js';

/** A controlled trial not ended after this long (ms) is stopped as a hang, unless
 *  `trialTimeoutMs` says otherwise: actor threads start slowly on a loaded machine. */
export const CONTROLLED_TRIAL_TIMEOUT_MS = 10_000;

export interface ControlledOptions extends ExecOptions {
  /** Abort a trial that has not ended after this long (ms; default CONTROLLED_TRIAL_TIMEOUT_MS). */
  readonly trialTimeoutMs?: number | undefined;
  /** Override the wait policy (default: spin when actors ≤ cores, else sleep). */
  readonly waitPolicy?: WaitPolicyName;
  /** Pin each actor thread to a CPU of its own, in turn (affinity.ts; best effort: a thread
   *  that cannot be pinned runs unpinned). For measurements that must not depend on where the
   *  OS places the threads; with more actors than CPUs, threads share CPUs round-robin. */
  readonly pinCpus?: boolean;
}

export class ControlledExecutor<P extends Params = Params, E = unknown> extends ThreadedExecutor<P, E> {
  /** Strategies by spec; every one keeps its state in this arena (no inline-only ones). */
  private readonly strategies: StrategySet;
  private readonly opts: ControlledOptions;
  private readonly waitPolicy: number;
  /** The pinning turn counter (pinCpus), one word shared with the actor threads. */
  private readonly pinSeq: SharedArrayBuffer | undefined;

  constructor(scenario: Scenario<P, E>, opts: ControlledOptions = {}) {
    super(scenario, opts);
    this.opts = opts;
    this.strategies = new StrategySet(schedViews(this.arena), false);
    this.strategies.get(opts.strategy ?? 'random');
    this.waitPolicy = chooseWaitPolicy(this.actorNames.length, opts.waitPolicy);
    this.pinSeq = opts.pinCpus === true ? new SharedArrayBuffer(4) : undefined;
  }

  /** Run one trial on the actor threads; with `replay`, follow that schedule (see InlineExecutor). */
  runTrial(seed: number, replay?: readonly Decision[], follow: Follow = 'exact'): Promise<TrialResult> {
    const spec = replay === undefined ? this.opts.strategy ?? 'random' : follow === 'guided' ? 'guided' : 'replay';
    return this.run(spec, seed, replay);
  }

  /** Run one trial under strategy `spec` instead of the executor's own (campaign portfolios:
   *  one set of actor threads serves every strategy). */
  runTrialAs(spec: string, seed: number): Promise<TrialResult> {
    return this.run(spec, seed, undefined);
  }


  private async run(scheduleSpec: string, seed: number, replay: readonly Decision[] | undefined): Promise<TrialResult> {
    if (!this.modules.ok) return moduleFailureResult(seed, this.modules);
    this.assertUsable();
    const a = this.arena;
    const n = this.actorNames.length;
    const sched = this.strategies.get(scheduleSpec);
    const env = prepareTrial(a, this.setupTask, this.scenario, this.params, {
      actors: n, mode: EXEC_CONTROLLED, stepLimit: this.opts.stepLimit ?? DEFAULT_STEP_LIMIT,
      waitPolicy: this.waitPolicy, replay, guided: scheduleSpec === 'guided',
    });
    sched.begin(seed, n);
    const first = decide(a, sched, -1);
    let crash: string | undefined;
    if (first >= 0) {
      handoff(a, first);
      crash = await this.runActors(env, seed, scheduleSpec);
    }
    endSchedule(a, sched);
    return collectResult(a, seed, {
      actorNames: this.actorNames, crashMessage: crash,
      decisions: this.opts.decisions ?? replay !== undefined, events: this.opts.events,
      leakCheck: this.opts.leakCheck,
    });
  }

  private async runActors(env: E, seed: number, strategy: string): Promise<string | undefined> {
    const msgs = this.actorNames.map((_, actor): ActorTaskMsg => ({
      kind: 'controlled', arenaId: this.arenaId, sab: this.arena.sab, module: this.scenario.module,
      scenario: this.scenario.name, params: this.params, resolved: this.modules.resolved, env, actor, strategy, seed,
      delayChance: 0, maxDelaySpins: 0, injectChance: 0, originMs: 0,
      ...(this.devmem === undefined ? {} : { devmem: shareDeviceMemory(this.devmem) }),
      ...(this.pinSeq === undefined ? {} : { pinSeq: this.pinSeq }),
    }));
    const jobs = this.pool.runAll(msgs);
    jobs.forEach((job, i) => void job.then((s) => { if (!s.ok && endTrial(this.arena, TRIAL_CRASH, i, this.arena.ctl(C_STEP))) wakeAllSeats(this.arena); }));
    const all = Promise.all(jobs);
    let settled = await withinMs(all, this.opts.trialTimeoutMs ?? CONTROLLED_TRIAL_TIMEOUT_MS, null);
    if (settled === null) {
      endTrial(this.arena, TRIAL_ABORTED, this.arena.ctl(C_TURN), this.arena.ctl(C_STEP));
      wakeAllSeats(this.arena);
      settled = await withinMs(all, 1000, null);
      if (settled === null) await this.terminateHung(1000);
    }
    return settled === null ? undefined : this.crashOf(settled, this.arena.ctl(C_STEP));
  }

}
