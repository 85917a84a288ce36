/**
 * The actor host: what a worker thread does with one actor task. It keeps, per worker, the arena
 * attachment, the scenario module, the actor's Task and the strategy across trials (a trial resets
 * the arena, it never respawns or re-imports), then runs the actor under the executor the task
 * names. All logic is here so it can run and be tested in one thread; the worker entry is thin.
 */
import { HarnessError } from '../errno/errors.js';
import { Arena } from '../shm/arena.js';
import { attachDeviceMemory, type DeviceMemory } from '../shm/devmem.js';
import { TRIAL_CRASH } from '../shm/layout.js';
import { createScheduler } from '../sched/create.js';
import { Prng } from '../sched/prng.js';
import type { Scheduler } from '../sched/scheduler.js';
import { Task, type TaskHooks } from '../kernel/task.js';
import type { KGen } from '../kernel/types.js';
import { siteEntries } from '../kernel/warn.js';
import { relinkModules, type Symtabs } from '../kernel/module/link.js';
import { isModuleNotLoaded } from '../kernel/module/this_module.js';
import { pinInTurn } from './affinity.js';
import { runControlledActor, wakeAllSeats } from './controlled-actor.js';
import type { ActorTaskMsg, ActorTaskResult } from './messages.js';
import { actorSeed, schedViews } from './prepare.js';
import { loadScenario } from './load_scenario.js';
import { kernelOf } from './modules.js';
import { resolveParams, scenarioActors, type Scenario } from './scenario.js';
import { endTrial } from './step.js';
import { runStressActor } from './stress-actor.js';
import { StressRecorder } from './stress-recorder.js';

interface Hosted {
  readonly arena: Arena;
  devmem: DeviceMemory | undefined;
  /** The scenario's modules re-linked in this thread (on the arena's first task). */
  symtabs: Symtabs | undefined;
  readonly tasks: Map<string, Task>;
  readonly scheds: Map<string, Scheduler>;
}

const arenas = new Map<number, Hosted>();
const rngs = new Map<string, Prng>();

/**
 * Run the actor described by `msg` to the end of its trial. An actor that runs code of a module
 * the scenario does not list ends the trial and says which (`unlisted`): the main thread refuses
 * the scenario.
 */
export async function runActorTask(msg: ActorTaskMsg): Promise<ActorTaskResult> {
  try {
    return await runActor(msg);
  } catch (err) {
    if (!isModuleNotLoaded(err)) throw err;
    const a = attach(msg).arena;
    endTrial(a, TRIAL_CRASH, msg.actor, 0);
    wakeAllSeats(a);
    return { actor: msg.actor, sites: siteEntries(), unlisted: { module: err.module, task: err.task } };
  }
}

async function runActor(msg: ActorTaskMsg): Promise<ActorTaskResult> {
  const s = await loadScenario(msg.module, msg.scenario);
  const hosted = attach(msg);
  const p = resolveParams(s, msg.params);
  const def = scenarioActors(s, p)[msg.actor];
  if (def === undefined) throw new HarnessError('ERR_WORKER', `scenario ${s.name}: no actor ${msg.actor}`);
  hosted.symtabs ??= relinkModules(s.modules ?? [], kernelOf(p), msg.resolved);
  const t = hostedTask(hosted, msg, s, def.name);
  t.symtabs = hosted.symtabs;
  t.begin(actorSeed(msg.seed, msg.actor));
  if (msg.devmem !== undefined) {
    hosted.devmem ??= attachDeviceMemory(msg.devmem);
    t.devmem = hosted.devmem;
  }
  const gen = def.run(t, msg.env);
  const a = hosted.arena;
  const crash = msg.kind === 'controlled' ? runControlledActor(a, t, gen, controlledTurn(hosted, msg)) : runStressHosted(a, t, gen, msg);
  // The call-site names once the actor ran: it names sites as it runs.
  return { actor: msg.actor, sites: siteEntries(), ...crashOf(crash) };
}

/** Before a controlled actor runs: its thread pinned where the trial says, and its strategy's
 *  scheduler (one per strategy and thread, kept across trials). */
function controlledTurn(hosted: Hosted, msg: ActorTaskMsg): Scheduler {
  if (msg.pinSeq !== undefined) pinInTurn(msg.pinSeq);
  let sched = hosted.scheds.get(msg.strategy);
  if (sched === undefined) {
    sched = createScheduler(msg.strategy, schedViews(hosted.arena));
    hosted.scheds.set(msg.strategy, sched);
  }
  return sched;
}

/** Run stress actor `t` with its seeded delays, its stall points and its recorder, which gets
 *  the trial's end (pending bytes, CPU times) even when the run throws. Returns a crash message, if
 *  any. */
function runStressHosted(a: Arena, t: Task, gen: KGen<unknown>, msg: ActorTaskMsg): string | undefined {
  const rng = stressRng(msg);
  rng.seed(actorSeed(msg.seed, msg.actor + 64));
  const rec = stressKnobs(msg).rec;
  if (t.devmem !== undefined) t.devmem = rec.devmem(t.devmem);
  try {
    return runStressActor(a, t, gen, rng, {
      delayChance: msg.delayChance, maxDelaySpins: msg.maxDelaySpins, onBlocked: (kind, ms) => rec.blocked(kind, ms),
      ...(msg.stalls === undefined ? {} : { stalls: msg.stalls }),
    });
  } finally {
    rec.finish();
  }
}

function crashOf(crash: string | undefined): { crash?: string } {
  return crash === undefined ? {} : { crash };
}

function attach(msg: ActorTaskMsg): Hosted {
  let h = arenas.get(msg.arenaId);
  if (h === undefined) {
    h = { arena: Arena.attach(msg.sab), devmem: undefined, symtabs: undefined, tasks: new Map(), scheds: new Map() };
    arenas.set(msg.arenaId, h);
  }
  return h;
}

/** Per stress actor: the trial's wall-clock origin, injection rate and timing recorder, updated
 *  every trial. */
export interface StressKnobs { originMs: number; injectChance: number; rng: Prng; readonly rec: StressRecorder }
const knobs = new Map<string, StressKnobs>();

/**
 * The hooks a stress actor's Task runs with: jiffies are wall-clock ms since the trial's origin,
 * ww locks with a context fail -EDEADLK at the injection rate, and phase marks, lock counts and
 * wake-ups go to the recorder. `k` is read at every call, so one Task serves every trial.
 */
export function stressTaskHooks(k: StressKnobs): TaskHooks {
  return {
    now: () => Math.floor(performance.timeOrigin + performance.now() - k.originMs),
    injectDeadlk: () => k.injectChance > 0 && k.rng.chance(k.injectChance),
    mark: (_t, phase, edge) => k.rec.mark(phase, edge),
    traced: (_t, packed) => k.rec.traced(packed),
    wake: (t, index, count) => k.rec.wake(t.i32, index, count),
  };
}

function hostedTask(h: Hosted, msg: ActorTaskMsg, s: Scenario, name: string): Task {
  const key = `${msg.kind}:${msg.actor}`;
  let t = h.tasks.get(key);
  if (t === undefined) {
    if (msg.kind === 'controlled') t = new Task(h.arena, msg.actor, name);
    else t = new Task(h.arena, msg.actor, name, stressTaskHooks(stressKnobs(msg)));
    t.callbacks = s.callbacks ?? [];
    h.tasks.set(key, t);
  }
  if (msg.kind === 'stress') {
    const k = stressKnobs(msg);
    k.originMs = msg.originMs;
    k.injectChance = msg.injectChance;
    k.rec.begin(msg.stats, msg.actor);
  }
  return t;
}

function stressKnobs(msg: ActorTaskMsg): StressKnobs {
  const key = `${msg.arenaId}:${msg.actor}`;
  let k = knobs.get(key);
  if (k === undefined) {
    k = { originMs: msg.originMs, injectChance: msg.injectChance, rng: stressRng(msg), rec: new StressRecorder() };
    knobs.set(key, k);
  }
  return k;
}

function stressRng(msg: ActorTaskMsg): Prng {
  const key = `${msg.arenaId}:${msg.actor}`;
  let r = rngs.get(key);
  if (r === undefined) { r = new Prng(msg.seed); rngs.set(key, r); }
  return r;
}
