/**
 * The inline executor: every actor of a trial in this thread, one generator step per decision.
 * The fastest way to explore schedules; a schedule found here replays step for step under the
 * controlled executor because both run the same `decide` over the same arena state.
 */
import { HarnessError } from '../errno/errors.js';
import { Arena } from '../shm/arena.js';
import { createDeviceMemory, type DeviceMemory } from '../shm/devmem.js';
import { C_STEP, EXEC_INLINE, WAIT_SLEEP, type Geometry } from '../shm/layout.js';
import { createScheduler } from '../sched/create.js';
import type { Scheduler } from '../sched/scheduler.js';
import { GuidedScheduler } from '../sched/guided.js';
import { Task } from '../kernel/task.js';
import type { KGen } from '../kernel/types.js';
import { loadModules, moduleFailureResult, refusalOf, type ModuleLoadOutcome } from './modules.js';
import { actorSeed, prepareTrial, schedViews, type Follow } from './prepare.js';
import { FAILED, failTrial, resumeActor } from './resume.js';
import { collectResult, type Decision, type TrialResult } from './result.js';
import { resolveParams, scenarioActors, type ActorDef, type Params, type Scenario } from './scenario.js';
import { admit, decide, endSchedule } from './step.js';

export interface ExecOptions {
  /** Strategy spec: random, pct:D (replay is chosen by passing a schedule). */
  readonly strategy?: string;
  /** Decisions before a trial is declared a hang (livelock). */
  readonly stepLimit?: number;
  readonly params?: Params;
  readonly geometry?: Partial<Geometry>;
  /** Copy the decision log / trace into every result (costly; for replays and tests). The log is
   *  copied by default when a trial follows a schedule; `false` turns that off too. */
  readonly decisions?: boolean;
  readonly events?: boolean;
  /** Report leaks at trial end (default true). Kernel-API oracle fixtures that keep objects
   *  alive on purpose turn it off; scenarios never should. */
  readonly leakCheck?: boolean;
  /** Model device memory contents with pages of this many bytes (0 / absent: metadata only). */
  readonly pageBytes?: number;
}

export const DEFAULT_STEP_LIMIT = 20_000;

export class InlineExecutor<P extends Params = Params, E = unknown> {
  readonly arena: Arena;
  readonly actorNames: readonly string[];
  private readonly scenario: Scenario<P, E>;
  private readonly params: P;
  private readonly defs: readonly ActorDef<E>[];
  private readonly tasks: Task[];
  private readonly setupTask: Task;
  private readonly sched: Scheduler;
  private readonly replaySched: Scheduler;
  /** The strategy of guided trials; its preemption count describes the last one. */
  readonly guided: GuidedScheduler;
  private readonly opts: ExecOptions;
  private crashMessage: string | undefined;
  private closed = false;
  private readonly modules: ModuleLoadOutcome;
  private readonly devmem: DeviceMemory | undefined;

  constructor(scenario: Scenario<P, E>, opts: ExecOptions = {}) {
    this.scenario = scenario;
    this.opts = opts;
    this.params = resolveParams(scenario, opts.params);
    this.defs = scenarioActors(scenario, this.params);
    const n = this.defs.length;
    this.arena = Arena.create({ ...scenario.geometry, ...opts.geometry, actors: n + 1 });
    this.devmem = opts.pageBytes ? createDeviceMemory(this.arena.geometry.pages, this.arena.geometry.actors, opts.pageBytes) : undefined;
    this.actorNames = this.defs.map((d) => d.name);
    this.modules = loadModules(scenario.modules ?? [], this.params, scenario.allowMissingNamespaceImports === true);
    this.tasks = this.defs.map((d, i) => this.makeTask(i, d.name));
    this.setupTask = this.makeTask(n, 'setup');
    const views = schedViews(this.arena);
    this.sched = createScheduler(opts.strategy ?? 'random', views);
    this.replaySched = createScheduler('replay', views);
    this.guided = new GuidedScheduler(views);
  }

  /**
   * Run one trial with `seed`; with `replay`, follow that schedule instead of the strategy —
   * exactly (a divergence ends the trial) or, with `follow` = 'guided', as far as it applies.
   * Throws the scenario's refusal (ERR_SCENARIO) when a task runs code of a module the scenario
   * does not list.
   */
  runTrial(seed: number, replay?: readonly Decision[], follow: Follow = 'exact'): TrialResult {
    if (this.closed) throw new HarnessError('ERR_CLOSED', `inline executor for ${this.scenario.name}: runTrial after close()`);
    if (!this.modules.ok) return moduleFailureResult(seed, this.modules);
    try {
      return this.trial(seed, replay, follow);
    } catch (err) {
      throw refusalOf(this.scenario, err);
    }
  }

  private trial(seed: number, replay: readonly Decision[] | undefined, follow: Follow): TrialResult {
    const a = this.arena;
    const n = this.defs.length;
    const sched = replay === undefined ? this.sched : follow === 'guided' ? this.guided : this.replaySched;
    const env = prepareTrial(a, this.setupTask, this.scenario, this.params, {
      actors: n, mode: EXEC_INLINE, stepLimit: this.opts.stepLimit ?? DEFAULT_STEP_LIMIT,
      waitPolicy: WAIT_SLEEP, replay, guided: follow === 'guided',
    });
    for (const t of this.tasks) t.rng.seed(actorSeed(seed, t.id));
    const gens: KGen<unknown>[] = this.defs.map((d, i) => d.run(this.tasks[i]!, env));
    this.crashMessage = undefined;
    sched.begin(seed, n);
    let cur = -1;
    for (;;) {
      const next = decide(a, sched, cur);
      if (next < 0 || !admit(a, next, a.ctl(C_STEP))) break;
      if (resumeActor(this.tasks[next]!, gens[next]!, this.onCrash) === FAILED) break;
      cur = next;
    }
    endSchedule(a, sched);
    return collectResult(a, seed, {
      actorNames: this.actorNames, crashMessage: this.crashMessage,
      decisions: this.opts.decisions ?? replay !== undefined, events: this.opts.events,
      leakCheck: this.opts.leakCheck,
    });
  }

  /** Give the arena back for reuse (arena_pool.ts); the executor runs no trial after this. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.arena.release();
  }

  private readonly onCrash = (t: Task, err: unknown): void => {
    this.crashMessage = failTrial(this.arena, t, err);
  };

  private makeTask(id: number, name: string): Task {
    const t = new Task(this.arena, id, name);
    t.callbacks = this.scenario.callbacks ?? [];
    t.devmem = this.devmem;
    t.symtabs = this.modules.symtabs;
    return t;
  }
}
