/**
 * What the two thread-backed executors (controlled, stress) share: the arena sized to the
 * scenario's actors, the setup task, the actor-thread pool, and reading the workers' outcome.
 */
import { HarnessError } from '../errno/errors.js';
import { Arena } from '../shm/arena.js';
import { createDeviceMemory, type DeviceMemory } from '../shm/devmem.js';
import { TRIAL_CRASH } from '../shm/layout.js';
import { Task } from '../kernel/task.js';
import { registerSites } from '../kernel/warn.js';
import type { ExecOptions } from './exec_options.js';
import { loadModules, scenarioModules, unlistedRefusal, type ModuleLoadOutcome } from './modules.js';
import { ActorPool, type Settled } from './pool.js';
import { PARAM_VALUES, resolveParams, scenarioActors, type Params, type Scenario } from './scenario.js';
import { endTrial } from './step.js';

/** How long (ms, wall clock) a trial waits for the threads of a hung trial that outlived their
 *  termination bound before it refuses to run (awaitUsable). */
export const STRAGGLER_MS = 30_000;

let nextArenaId = 1;

export class ThreadedExecutor<P extends Params, E> {
  readonly arena: Arena;
  readonly actorNames: readonly string[];
  protected readonly scenario: Scenario<P, E>;
  protected readonly params: P;
  protected readonly setupTask: Task;
  protected readonly pool: ActorPool;
  /** Lets a worker keep its attachment to this arena across trials. */
  protected readonly arenaId = nextArenaId++;
  /** Device memory contents shared with the actor threads, when modelled. */
  protected readonly devmem: DeviceMemory | undefined;
  /** The scenario's modules, loaded once with the kernel's rules. */
  protected readonly modules: ModuleLoadOutcome;

  /** `scheduled`: the executor schedules every step (controlled), so the scenario's
   *  scheduledRules apply to its parameters (scenario.ts). */
  constructor(scenario: Scenario<P, E>, opts: ExecOptions, scheduled = false) {
    this.scenario = scenario;
    this.params = resolveParams(scenario, opts.params, PARAM_VALUES, scheduled);
    const defs = scenarioActors(scenario, this.params);
    this.arena = Arena.create({ ...scenario.geometry, ...opts.geometry, actors: defs.length + 1 });
    this.actorNames = defs.map((d) => d.name);
    this.modules = loadModules(scenarioModules(scenario, this.arena.geometry), this.params, scenario.allowMissingNamespaceImports === true);
    this.setupTask = new Task(this.arena, defs.length, 'setup');
    this.setupTask.callbacks = scenario.callbacks ?? [];
    this.setupTask.symtabs = this.modules.symtabs;
    this.devmem = opts.pageBytes ? createDeviceMemory(this.arena.geometry.pages, this.arena.geometry.actors, opts.pageBytes) : undefined;
    this.setupTask.devmem = this.devmem;
    this.pool = new ActorPool(defs.length);
  }

  /** Time trials waited for their actor threads to take them up (ms; take_up.ts). */
  protected startupSpentMs = 0;

  /** How long this executor's trials have waited, all told, for their actor threads to start
   *  (ms): worker start-up, which a campaign's time budget leaves out. */
  get startupMs(): number {
    return this.startupSpentMs;
  }

  /** Terminate the actor threads. */
  async close(): Promise<void> {
    await this.pool.terminate(2000);
  }

  /**
   * Terminate a hung trial's threads, waiting at most `ms`. Returns true when they were gone in
   * time; false when some outlived it (a thread starved of a CPU, or blocked in a native call,
   * notices termination late): they may still write the arena, and the next trial waits for them
   * (awaitUsable).
   */
  protected terminateHung(ms: number): Promise<boolean> {
    return this.pool.terminate(ms);
  }

  /**
   * Before a trial: wait up to STRAGGLER_MS for the threads of a hung trial that did not stop
   * within terminateHung's bound. Throws ERR_WORKER when they still run, since they may still
   * write the arena the trial would reset.
   */
  protected async awaitUsable(): Promise<void> {
    if (!(await this.pool.stragglersGone(STRAGGLER_MS))) {
      throw new HarnessError('ERR_WORKER', `${this.scenario.name}: actor threads of a hung trial did not stop within ${STRAGGLER_MS / 1000} s of being terminated; make a new executor`);
    }
  }

  /**
   * Learn the call-site names the workers saw; return the first actor's crash message. A worker
   * that failed outside the model (its task rejected) ends the trial as a crash of that actor.
   * Throws the scenario's refusal when an actor ran code of a module the scenario does not list.
   * An actor without a result (its thread was terminated: the caller leaves it out) counts as
   * neither.
   */
  protected crashOf(settled: readonly (Settled | undefined)[], step: number): string | undefined {
    for (const s of settled) if (s?.ok === true) registerSites(s.value.sites);
    for (const s of settled) if (s?.ok === true && s.value.unlisted !== undefined) throw unlistedRefusal(this.scenario, s.value.unlisted);
    for (const [i, s] of settled.entries()) {
      if (s === undefined) continue;
      if (s.ok && s.value.crash !== undefined) return s.value.crash;
      if (!s.ok) {
        endTrial(this.arena, TRIAL_CRASH, i, step);
        return `worker thread failed: ${s.error instanceof Error ? s.error.message : String(s.error)}`;
      }
    }
    return undefined;
  }
}
