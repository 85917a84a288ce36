/**
 * The controlled executor, main-thread side: one worker thread per actor, exactly one holding the
 * turn. The main thread prepares the trial, makes the first decision, and waits; the actors
 * decide among themselves (controlled-actor.ts). A trial that does not end in `trialTimeoutMs`
 * (an actor running without yielding) is aborted, reported as a hang, and its workers terminated.
 */
import { availableParallelism } from 'node:os';
import { seatGrant } from '../shm/futex.js';
import {
  A_SEAT, C_STEP, C_TURN, EXEC_CONTROLLED, TRIAL_ABORTED, TRIAL_CRASH, WAIT_SLEEP, WAIT_SPIN,
} from '../shm/layout.js';
import { createScheduler } from '../sched/create.js';
import type { Scheduler } from '../sched/scheduler.js';
import { wakeAllSeats } from './controlled-actor.js';
import { DEFAULT_STEP_LIMIT, type ExecOptions } from './inline.js';
import type { ActorTaskMsg } from './messages.js';
import { moduleFailureResult } from './modules.js';
import { withinMs } from './pool.js';
import { prepareTrial, schedViews } from './prepare.js';
import { collectResult, type Decision, type TrialResult } from './result.js';
import type { Params, Scenario } from './scenario.js';
import { ThreadedExecutor } from './threaded.js';
import { decide, endSchedule, endTrial } from './step.js';

export interface ControlledOptions extends ExecOptions {
  /** Abort a trial that has not ended after this long (ms). */
  readonly trialTimeoutMs?: number;
  /** Override the wait policy (default: spin when actors ≤ cores, else sleep). */
  readonly waitPolicy?: 'spin' | 'sleep';
}

export class ControlledExecutor<P extends Params = Params, E = unknown> extends ThreadedExecutor<P, E> {
  private readonly sched: Scheduler;
  private readonly replaySched: Scheduler;
  private readonly opts: ControlledOptions;
  private readonly waitPolicy: number;

  constructor(scenario: Scenario<P, E>, opts: ControlledOptions = {}) {
    super(scenario, opts);
    this.opts = opts;
    const views = schedViews(this.arena);
    this.sched = createScheduler(opts.strategy ?? 'random', views);
    this.replaySched = createScheduler('replay', views);
    const n = this.actorNames.length;
    const spin = opts.waitPolicy === undefined ? n <= availableParallelism() : opts.waitPolicy === 'spin';
    this.waitPolicy = spin ? WAIT_SPIN : WAIT_SLEEP;
  }

  /** Run one trial on the actor threads; with `replay`, follow that schedule. */
  async runTrial(seed: number, replay?: readonly Decision[]): Promise<TrialResult> {
    if (!this.modules.ok) return moduleFailureResult(seed, this.modules);
    this.assertUsable();
    const a = this.arena;
    const n = this.actorNames.length;
    const sched = replay === undefined ? this.sched : this.replaySched;
    const env = prepareTrial(a, this.setupTask, this.scenario, this.params, {
      actors: n, mode: EXEC_CONTROLLED, stepLimit: this.opts.stepLimit ?? DEFAULT_STEP_LIMIT,
      waitPolicy: this.waitPolicy, replay,
    });
    sched.begin(seed, n);
    const first = decide(a, sched, -1);
    let crash: string | undefined;
    if (first >= 0) {
      a.setCtl(C_TURN, first);
      seatGrant(a.i32, a.actor(first) + A_SEAT);
      crash = await this.runActors(env, seed, replay === undefined ? this.opts.strategy ?? 'random' : 'replay');
    }
    endSchedule(a, sched);
    return collectResult(a, seed, {
      actorNames: this.actorNames, crashMessage: crash,
      decisions: this.opts.decisions === true || replay !== undefined, events: this.opts.events,
      leakCheck: this.opts.leakCheck,
    });
  }

  private async runActors(env: E, seed: number, strategy: string): Promise<string | undefined> {
    const msgs = this.actorNames.map((_, actor): ActorTaskMsg => ({
      kind: 'controlled', arenaId: this.arenaId, sab: this.arena.sab, module: this.scenario.module,
      scenario: this.scenario.name, params: this.params, env, actor, strategy, seed,
      delayChance: 0, maxDelaySpins: 0, injectChance: 0, originMs: 0,
      ...(this.devmem === undefined ? {} : { devmem: { memory: this.devmem.memory, pageBytes: this.devmem.pageBytes } }),
    }));
    const jobs = this.pool.runAll(msgs);
    jobs.forEach((job, i) => void job.then((s) => { if (!s.ok && endTrial(this.arena, TRIAL_CRASH, i, this.arena.ctl(C_STEP))) wakeAllSeats(this.arena); }));
    const all = Promise.all(jobs);
    let settled = await withinMs(all, this.opts.trialTimeoutMs ?? 10_000, null);
    if (settled === null) {
      endTrial(this.arena, TRIAL_ABORTED, this.arena.ctl(C_TURN), this.arena.ctl(C_STEP));
      wakeAllSeats(this.arena);
      settled = await withinMs(all, 1000, null);
      if (settled === null) await this.terminateHung(1000);
    }
    return settled === null ? undefined : this.crashOf(settled, this.arena.ctl(C_STEP));
  }

}
