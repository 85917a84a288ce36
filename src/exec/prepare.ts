/**
 * Trial preparation shared by the executors (main-thread side): reset the arena in place, boot the
 * kernel globals, preload a replay schedule, run the scenario's setup and put every actor at its
 * START scheduling point.
 */
import type { Arena } from '../shm/arena.js';
import {
  ACTOR_NEW, A_OP, A_STATE, DECISION_WORDS, D_ACTOR, D_OP, JB_RUN_FENCE, JB_STATE, JOBS_FREE, KERNEL_FINAL, KERNEL_V3,
  QUIRK_POLL_ALWAYS_PUT, QUIRK_POLL_NO_FILE_REF, QUIRK_RESV_NO_SEQNO_CHECK, QUIRK_RESV_STRICT_LATER,
  QUIRK_RESV_WAIT_ZERO_SLEEPS, R_LOCK, SCHED_WORDS, packOp,
} from '../shm/layout.js';
import { OP_START } from '../trace/ops.js';
import type { SchedViews } from '../sched/scheduler.js';
import { GUIDE_LEN_WORD } from '../sched/guided.js';
import { kernelBoot } from '../kernel/boot.js';
import { fenceHandleStale } from '../kernel/dma_fence_alloc.js';
import type { Task } from '../kernel/task.js';
import { HarnessError } from '../errno/errors.js';
import { kernelOf, refusalOf, scenarioFile } from './modules.js';
import type { Decision } from './result.js';
import type { Params, Scenario } from './scenario.js';

/** How a trial follows a given schedule: step for step ('exact', replay) or as a guide. */
export type Follow = 'exact' | 'guided';

export interface TrialPlan {
  readonly actors: number;
  readonly mode: number;
  readonly stepLimit: number;
  readonly waitPolicy: number;
  /** WAIT_ADAPT: the cores actors may spin on. */
  readonly spinCores?: number;
  readonly replay?: readonly Decision[] | undefined;
  /** Follow `replay` as a guide (the guided strategy) instead of checking it step by step. */
  readonly guided?: boolean;
}

/**
 * Reset `a` for a new trial and run setup as `setupTask`; returns the environment. A setup that
 * runs code of a module the scenario does not list throws the scenario's refusal (refusalOf).
 */
export function prepareTrial<P extends Params, E>(a: Arena, setupTask: Task, s: Scenario<P, E>, p: P, plan: TrialPlan): E {
  const replay = plan.replay ?? [];
  a.resetTrial({
    actors: plan.actors, mode: plan.mode, stepLimit: plan.stepLimit, waitPolicy: plan.waitPolicy,
    ...(plan.spinCores === undefined ? {} : { spinCores: plan.spinCores }),
    replayLen: plan.guided === true ? 0 : Math.min(replay.length, a.geometry.decisions),
    kernel: kernelOf(p) === 'v3' ? KERNEL_V3 : KERNEL_FINAL,
    quirks: quirksOf(p),
  });
  const loaded = loadSchedule(a, replay);
  if (plan.guided === true) a.i32[a.layout.sched + GUIDE_LEN_WORD] = loaded;
  kernelBoot(setupTask);
  const env = runSetup(setupTask, s, p);
  for (let i = 0; i < plan.actors; i++) {
    a.i32[a.actor(i) + A_OP] = packOp(OP_START, i);
    a.i32[a.actor(i) + A_STATE] = ACTOR_NEW;
  }
  return env;
}

/**
 * The QUIRK_* bits a scenario's parameters switch on (ScenarioDef.params): each parameter set to
 * `false` restores a core function as it was before the fix it names (pollArmedKeepsRef: as a
 * rejected patch would have made it).
 */
function quirksOf(p: Params): number {
  return (p.resvSeqnoCheck === false ? QUIRK_RESV_NO_SEQNO_CHECK : 0) |
    (p.resvLaterOrSame === false ? QUIRK_RESV_STRICT_LATER : 0) |
    (p.resvWaitZeroNoSleep === false ? QUIRK_RESV_WAIT_ZERO_SLEEPS : 0) |
    (p.pollFileRef === false ? QUIRK_POLL_NO_FILE_REF : 0) |
    (p.pollArmedKeepsRef === false ? QUIRK_POLL_ALWAYS_PUT : 0);
}

/**
 * Run the scenario's setup. A setup that throws (or hits a kernel BUG: nothing runs beside it) is
 * a broken scenario: HarnessError(ERR_SCENARIO) naming its file and the error, or the refusal of
 * an unlisted module.
 */
function runSetup<P extends Params, E>(setupTask: Task, s: Scenario<P, E>, p: P): E {
  try {
    return s.setup(setupTask, p);
  } catch (err) {
    const refused = refusalOf(s, err);
    if (refused instanceof HarnessError) throw refused;
    const what = refused instanceof Error ? `${refused.name}: ${refused.message}` : String(refused);
    throw new HarnessError('ERR_SCENARIO', `${scenarioFile(s)}: scenario ${s.name}: setup: threw ${what}`);
  }
}

/** Copy `replay` into the decision log as far as it fits; returns the decisions copied. */
function loadSchedule(a: Arena, replay: readonly Decision[]): number {
  const h = a.i32;
  const n = Math.min(replay.length, a.geometry.decisions);
  for (let i = 0, d = a.decision(0); i < n; i++, d += DECISION_WORDS) {
    const x = replay[i]!;
    h[d + D_ACTOR] = x.actor;
    h[d + D_OP] = x.op;
  }
  return n;
}

/** The scheduler's views of `a`: its state words, the decision log, the actors' pending ops, each
 *  resv's lock and each DMA job's completion fence. */
export function schedViews(a: Arena): SchedViews {
  const L = a.layout;
  return {
    state: new Int32Array(a.sab, L.sched * 4, SCHED_WORDS),
    decisions: new Int32Array(a.sab, L.decisions * 4, L.geometry.decisions * 2),
    pending: (actor) => a.i32[a.actor(actor) + A_OP]!,
    resvLock: (resv) => a.i32[a.resv(resv) + R_LOCK]!,
    jobFence: (job) => jobFence(a, job),
  };
}

/** SchedViews.jobFence over `a`: job `job`'s JB_RUN_FENCE word (its fence of the run the engine
 *  started last; -1 before its first run), -1 beyond the table, for a free row, or once that
 *  fence is released, whether or not its row was reused since — its handle's generation is no
 *  longer its row's (kernel fenceHandleStale), so the handle is no fence of the run any more and
 *  a fence reusing the row is unrelated. */
function jobFence(a: Arena, job: number): number {
  if (job >= a.geometry.jobs) return -1;
  const b = a.job(job);
  if (a.i32[b + JB_STATE] === JOBS_FREE) return -1;
  const fence = a.i32[b + JB_RUN_FENCE]!;
  return fence < 0 || fenceHandleStale(a, fence) ? -1 : fence;
}

/** The seed of actor `actor`'s own random stream in a trial seeded with `seed`. */
export function actorSeed(seed: number, actor: number): number {
  return (Math.imul(seed, 0x9e3779b1) ^ Math.imul(actor + 1, 0x85ebca6b)) | 0;
}
