/**
 * What an inline trial runs: the scenario's tasks (its actors' and setup's) on this thread, one
 * generator step per decision of the shared scheduling step (step.ts), and the result read back
 * from the arena (result.ts). The inline executor (inline.ts) owns the strategies, the watch and
 * the slices around it. Every inline hunt trial comes through `run`.
 */
import type { Arena } from '../shm/arena.js';
import { createDeviceMemory } from '../shm/devmem.js';
import { C_STEP, EXEC_INLINE, WAIT_SLEEP } from '../shm/layout.js';
import type { Scheduler } from '../sched/scheduler.js';
import { Task } from '../kernel/task.js';
import type { KGen } from '../kernel/types.js';
import type { Symtabs } from '../kernel/module/link.js';
import { actorSeed, prepareTrial, type Follow } from './prepare.js';
import { FAILED, failTrial, resumeActor } from './resume.js';
import { collectResult } from './collect_result.js';
import type { Decision, TrialResult } from './result.js';
import type { ActorDef, Params, Scenario } from './scenario.js';
import { admit, decide } from './step.js';
import { DEFAULT_STEP_LIMIT, type ExecOptions } from './exec_options.js';

/** Where in a trial the watchdog found the executor: its setup, its actors running, or the trial
 *  ended (its result being collected: a watch that ran out late stops it after the trial ended,
 *  starved_rerun.ts). */
type Phase = 'setup' | 'actors' | 'ended';

/** What an InlineTrial runs on: the executor's arena (sized for `defs` plus setup), the scenario
 *  with its resolved parameters and actors, the executor's options, the loaded modules' tables. */
interface InlineTrialParts<P extends Params, E> {
  readonly arena: Arena;
  readonly scenario: Scenario<P, E>;
  readonly params: P;
  readonly defs: readonly ActorDef<E>[];
  readonly opts: ExecOptions;
  readonly symtabs: Symtabs;
}

export class InlineTrial<P extends Params = Params, E = unknown> {
  readonly actorNames: readonly string[];
  private readonly parts: InlineTrialParts<P, E>;
  private readonly tasks: Task[];
  private readonly setupTask: Task;
  private crashMessage: string | undefined;
  private where: Phase = 'setup';
  private seed = 0;

  constructor(parts: InlineTrialParts<P, E>) {
    this.parts = parts;
    const { arena, defs, opts } = parts;
    const devmem = opts.pageBytes ? createDeviceMemory(arena.geometry.pages, arena.geometry.actors, opts.pageBytes) : undefined;
    this.actorNames = defs.map((d) => d.name);
    this.tasks = defs.map((d, i) => this.makeTask(i, d.name, devmem));
    this.setupTask = this.makeTask(defs.length, 'setup', devmem);
  }

  /** The trial in progress (or the last one), for the watchdog's report when it stops one. */
  get phase(): Phase {
    return this.where;
  }

  /** A run is about to start, under a watch: until `run` gets past setup, a stop finds it in
   *  setup, not ended as the run before. Call before the watch, or, in a watch that runs several,
   *  before the run counts as started. */
  arm(): void {
    this.where = 'setup';
  }

  /**
   * Run trial `seed` to its end under `sched` (following `replay` when given, as `follow` says)
   * and return its result. Does not tell `sched` the trial ended (the caller's `endSchedule`).
   * Throws what the scenario's setup or a task throws past the trial's own crash handling (the
   * caller turns it into the scenario's refusal). Precondition: under a watch.
   */
  run(sched: Scheduler, seed: number, replay: readonly Decision[] | undefined, follow: Follow): TrialResult {
    const { arena: a, defs } = this.parts;
    const n = defs.length;
    this.where = 'setup';
    this.seed = seed;
    const env = prepareTrial(a, this.setupTask, this.parts.scenario, this.parts.params, {
      actors: n, mode: EXEC_INLINE, stepLimit: this.parts.opts.stepLimit ?? DEFAULT_STEP_LIMIT,
      waitPolicy: WAIT_SLEEP, replay, guided: follow === 'guided',
    });
    this.where = 'actors';
    for (const t of this.tasks) t.begin(actorSeed(seed, t.id));
    const gens: KGen<unknown>[] = defs.map((d, i) => d.run(this.tasks[i]!, env));
    this.crashMessage = undefined;
    sched.begin(seed, n);
    let cur = -1;
    for (;;) {
      const next = decide(a, sched, cur);
      if (next < 0 || !admit(a, next, a.ctl(C_STEP))) break;
      if (resumeActor(this.tasks[next]!, gens[next]!, this.onCrash) === FAILED) break;
      cur = next;
    }
    this.where = 'ended';
    return this.result(replay !== undefined);
  }

  /** The last trial's result as the arena holds it now (after `run`, or after the watchdog ended
   *  it); with its decisions when the options ask, or by default when `following` a schedule. */
  result(following: boolean): TrialResult {
    const o = this.parts.opts;
    return collectResult(this.parts.arena, this.seed, {
      actorNames: this.actorNames, crashMessage: this.crashMessage,
      decisions: o.decisions ?? following, events: o.events, leakCheck: o.leakCheck,
    });
  }

  private readonly onCrash = (t: Task, err: unknown): void => {
    this.crashMessage = failTrial(this.parts.arena, t, err);
  };

  private makeTask(id: number, name: string, devmem: Task['devmem']): Task {
    const t = new Task(this.parts.arena, id, name);
    t.callbacks = this.parts.scenario.callbacks ?? [];
    t.devmem = devmem;
    t.symtabs = this.parts.symtabs;
    return t;
  }
}
