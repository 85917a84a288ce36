/**
 * The controlled executor, main-thread side: one worker thread per actor, exactly one holding the
 * turn. The main thread prepares the trial, makes the first decision, and waits; the actors
 * decide among themselves (controlled-actor.ts). A trial that does not end `trialTimeoutMs` after
 * its actor threads took it up (an actor running without yielding) is aborted, reported as a
 * hang, and its workers terminated; so is one whose threads do not take it up within the start-up
 * bound (take_up.ts). A thread that outlives its termination bound may still write the arena: the
 * result says so (TrialResult.stragglers) and leaves the trace rings unread, as stress does.
 */
import {
  C_STEP, C_TURN, EXEC_CONTROLLED, TRIAL_ABORTED, TRIAL_CRASH,
} from '../shm/layout.js';
import { shareDeviceMemory } from '../shm/devmem.js';
import { StrategySet } from '../sched/strategy_set.js';
import { handoff, wakeAllSeats } from './controlled-actor.js';
import { DEFAULT_STEP_LIMIT, type ExecOptions } from './exec_options.js';
import type { ActorTaskMsg } from './messages.js';
import { moduleFailureResult } from './modules.js';
import { PollWatch, withinMs } from './waits.js';
import { STARTUP_MS, firstNotTakenUp } from './take_up.js';
import { prepareTrial, schedViews, type Follow } from './prepare.js';
import { collectResult } from './collect_result.js';
import type { Decision, TrialResult } from './result.js';
import type { Params, Scenario } from './scenario.js';
import { ThreadedExecutor } from './threaded.js';
import { chooseWaitPolicy, type WaitPolicyName } from './wait_policy.js';
import { decide, endSchedule, endTrial } from './step.js';

/** A controlled trial not ended this long (ms) after its actor threads took it up (take_up.ts)
 *  is stopped as a hang, unless `trialTimeoutMs` says otherwise. */
export const CONTROLLED_TRIAL_TIMEOUT_MS = 10_000;

/** How a trial's actor threads ended: the first actor's crash message, and whether they are all
 *  gone — false when a thread outlived its termination bound and may still run. */
interface ActorsEnd {
  readonly crash: string | undefined;
  readonly gone: boolean;
}

/** How often the main thread looks whether the actor threads have taken the trial up (ms). */
const TAKE_UP_POLL_MS = 25;

export interface ControlledOptions extends ExecOptions {
  /** Abort a trial that has not ended this long (ms; default CONTROLLED_TRIAL_TIMEOUT_MS) after
   *  its actor threads took it up. */
  readonly trialTimeoutMs?: number | undefined;
  /** Longest the actor threads may take to take a trial up (ms; default STARTUP_MS). */
  readonly startupMs?: number;
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
    super(scenario, opts, true);
    this.opts = opts;
    this.strategies = new StrategySet(schedViews(this.arena), false);
    this.strategies.get(opts.strategy ?? 'random');
    this.waitPolicy = chooseWaitPolicy(this.actorNames.length, opts.waitPolicy);
    this.pinSeq = opts.pinCpus === true ? new SharedArrayBuffer(4) : undefined;
  }

  /** Run one trial on the actor threads; with `replay`, follow that schedule (see
   *  InlineExecutor). */
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
    await this.awaitUsable();
    const a = this.arena;
    const n = this.actorNames.length;
    const sched = this.strategies.get(scheduleSpec);
    const env = prepareTrial(a, this.setupTask, this.scenario, this.params, {
      actors: n, mode: EXEC_CONTROLLED, stepLimit: this.opts.stepLimit ?? DEFAULT_STEP_LIMIT,
      waitPolicy: this.waitPolicy, replay, guided: scheduleSpec === 'guided',
    });
    sched.begin(seed, n);
    const first = decide(a, sched, -1);
    let ran: ActorsEnd = { crash: undefined, gone: true };
    if (first >= 0) {
      handoff(a, first);
      ran = await this.runActors(env, seed, scheduleSpec);
    }
    endSchedule(a, sched);
    const result = collectResult(a, seed, {
      actorNames: this.actorNames, crashMessage: ran.crash,
      decisions: this.opts.decisions ?? replay !== undefined, events: this.opts.events === true && ran.gone,
      leakCheck: this.opts.leakCheck,
    });
    return ran.gone ? result : { ...result, stragglers: true };
  }

  /** Run the trial's actors on their threads (the first holds the turn); a trial not taken up
   *  within the start-up bound or not ended within the trial timeout is aborted and its threads
   *  terminated. Returns the first actor's crash message and whether every thread is gone. */
  private async runActors(env: E, seed: number, strategy: string): Promise<ActorsEnd> {
    const msgs = this.actorNames.map((_, actor): ActorTaskMsg => ({
      kind: 'controlled', arenaId: this.arenaId, sab: this.arena.sab, module: this.scenario.module,
      scenario: this.scenario.name, params: this.params, resolved: this.modules.resolved, env, actor, strategy, seed,
      delayChance: 0, maxDelaySpins: 0, injectChance: 0, originMs: 0,
      ...(this.devmem === undefined ? {} : { devmem: shareDeviceMemory(this.devmem) }),
      ...(this.pinSeq === undefined ? {} : { pinSeq: this.pinSeq }),
    }));
    const jobs = this.pool.runAll(msgs);
    const ended: boolean[] = [];
    jobs.forEach((job, i) => void job.then((s) => {
      ended[i] = true;
      if (!s.ok && endTrial(this.arena, TRIAL_CRASH, i, this.arena.ctl(C_STEP))) wakeAllSeats(this.arena);
    }));
    const all = Promise.all(jobs);
    const late = await this.awaitTakeUp(all, ended);
    let settled = late >= 0 ? null : await withinMs(all, this.opts.trialTimeoutMs ?? CONTROLLED_TRIAL_TIMEOUT_MS, null);
    let gone = true;
    if (settled === null) {
      endTrial(this.arena, TRIAL_ABORTED, late >= 0 ? late : this.arena.ctl(C_TURN), this.arena.ctl(C_STEP));
      wakeAllSeats(this.arena);
      settled = await withinMs(all, 1000, null);
      if (settled === null) gone = await this.terminateHung(1000);
    }
    return { crash: settled === null ? undefined : this.crashOf(settled, this.arena.ctl(C_STEP)), gone };
  }

  /**
   * Wait until every actor's thread has taken it up (take_up.ts) or its task ended, polling, for
   * at most the start-up bound. Returns -1, or the first actor still not taken up at the bound.
   */
  private async awaitTakeUp(all: Promise<unknown>, ended: readonly boolean[]): Promise<number> {
    const poll = new PollWatch(all);
    const t0 = performance.now();
    try {
      for (;;) {
        const late = firstNotTakenUp(this.arena, (i) => ended[i] === true);
        if (late < 0 || performance.now() - t0 >= (this.opts.startupMs ?? STARTUP_MS)) return late;
        if (await poll.tick(TAKE_UP_POLL_MS)) return -1;
      }
    } finally {
      this.startupSpentMs += performance.now() - t0;
    }
  }

}
