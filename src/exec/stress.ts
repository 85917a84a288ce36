/**
 * The stress executor, main-thread side: every actor on its own worker thread, running in parallel
 * with seeded random delays (under schedule 'stalls', the delay profile and stall points each trial
 * draws from its seed and the yields earlier trials made: stress_stalls.ts; the trial's result
 * names them, and for a trial with findings the stalls that ended; a trial with findings under
 * any schedule hands back its rings' events) and
 * -EDEADLK injection at yields, for a wall-clock duration after which actors are asked to stop
 * (Task.stopRequested). A watchdog (stress_watch.ts) reads the progress counter: when it stalls,
 * the wait-for table decides between a deadlock (everybody blocked) and a hang (someone runs
 * without yielding); either way the trial is ended, reported, and its workers are terminated
 * within a bounded time. Its clocks, the duration's included, start once the actor threads have
 * taken the trial up (take_up.ts), and its stall and grace clocks do not count time the runnable
 * actor threads spent waiting for a CPU. A trial whose threads outlive their termination
 * (StressResult.stragglers) is read as far as its end allows and teaches the schedule nothing.
 */
import { C_STATE, EXEC_STRESS, TRIAL_DONE, TRIAL_RUNNING } from '../shm/layout.js';
import { shareDeviceMemory } from '../shm/devmem.js';
import { readEvents, type TraceEvent } from '../trace/ring.js';
import type { ExecOptions } from './exec_options.js';
import type { ActorTaskMsg } from './messages.js';
import { moduleFailureResult } from './modules.js';
import type { Settled } from './pool.js';
import { PollWatch, withinMs } from './waits.js';
import { prepareTrial } from './prepare.js';
import { collectResult } from './collect_result.js';
import type { TrialResult } from './result.js';
import type { Params, Scenario } from './scenario.js';
import { ThreadedExecutor } from './threaded.js';
import { chooseStressWaitPolicy, spinCores, type StressWaitPolicyName } from './wait_policy.js';
import { endTrial } from './step.js';
import type { StressStatsShared } from './stress-stats.js';
import type { WaitReader } from './stall_clock.js';
import { StressWatch } from './stress_watch.js';
import { drawStressPlan, learnHorizons, stallRecords, type StallPoint, type StallRecord, type StressPlan } from './stress_stalls.js';
import { STARTUP_MS } from './take_up.js';

/** Default probability of a seeded random delay at a yield point. */
export const STRESS_DELAY_CHANCE = 0.05;
/** Default longest seeded random delay (spin iterations). */
export const STRESS_DELAY_SPINS = 2000;

/** How a stress trial disturbs its actors: StressOptions.schedule. */
export type StressScheduleName = 'uniform' | 'stalls';

/** A stress trial in which no actor makes progress for this long (ms, counted: stall_clock.ts)
 *  is ended by the watchdog. */
export const STRESS_STALL_MS = 1000;

/** After the stop request, how long actors get to finish by default (ms, counted). */
export const STRESS_GRACE_MS = 5000;

/** After a verdict, how long the workers get to notice the trial's end before they are terminated
 *  (ms, wall clock), and then how long the trial waits for their termination (ms, wall clock);
 *  threads still running then are the next trial's to wait for (threaded.ts STRAGGLER_MS). */
export const STRESS_NOTICE_MS = 1000;
export const STRESS_TERMINATE_MS = 1000;

export interface StressOptions extends ExecOptions {
  /** Run time before actors are asked to stop (ms, wall clock from when every actor thread has
   *  taken the trial up: a thread's start-up, however late, does not shorten it). */
  readonly durationMs: number;
  /** Probability of a random delay at a yield, and its longest length in spin iterations. */
  readonly delayChance?: number;
  readonly maxDelaySpins?: number;
  /** 'uniform' (default): every trial delays with delayChance and maxDelaySpins. 'stalls' (for
   *  hunting): each trial draws its delay profile and stall points from its seed and the
   *  horizons learned from earlier trials (stress_stalls.ts; StressResult.plan); a delayChance
   *  of 0 still means no delays and no stalls. */
  readonly schedule?: StressScheduleName;
  /** Per actor, stall points for every trial in place of drawn ones, with the options' own
   *  delays (tests: stress_stalls.ts). */
  readonly stallPoints?: readonly (readonly StallPoint[])[];
  /** Probability that a ww_mutex_lock with a context holding locks fails -EDEADLK. */
  readonly injectChance?: number;
  /** No progress for this long (ms, counted: time the runnable actor threads all waited for a
   *  CPU does not count; default STRESS_STALL_MS) and the watchdog ends the trial. */
  readonly stallMs?: number | undefined;
  /** After the stop request, how long actors get to finish (ms, counted; default
   *  STRESS_GRACE_MS). */
  readonly graceMs?: number;
  /** Longest the actor threads may take to start (ms; default STARTUP_MS); the other limits count
   *  from when they have. */
  readonly startupMs?: number;
  /** Reads an actor thread's CPU wait time (default: Linux schedstat; tests inject their own). */
  readonly readWaitNs?: WaitReader;
  /** Where actors record phase latencies and counters (stress-stats.ts); absent: no recording. */
  readonly stats?: StressStatsShared;
  /** How a blocked fence waiter waits: poll up to STRESS_POLL_US first ('spin'), or sleep at
   *  once. Default 'adapt': poll while the actors awake do not outnumber the cores
   *  (wait_policy.ts). Other waiters always sleep at once. */
  readonly waitPolicy?: StressWaitPolicyName;
  /** Once aborted, actors are asked to stop as at the end of the duration (checked every poll). */
  readonly signal?: AbortSignal;
}

/** A stress trial's outcome; `steps` counts the yields all actors made. */
export interface StressResult extends TrialResult {
  readonly wallMs: number;
  /** Schedule 'stalls' (or StressOptions.stallPoints): the delay profile and stall points the
   *  trial ran with. Drawn from its seed and the horizons learned from the executor's earlier
   *  trials, whose yield counts vary with timing: the same seed may draw another plan elsewhere. */
  readonly plan?: StressPlan;
  /** With a plan, for a trial with findings: the stalls that ended, as the trace rings still
   *  hold them (EV_STALL_END; a stall the actor's ring overwrote since is missing). */
  readonly stallEnds?: readonly StallRecord[];
  /** For a trial with findings, whatever the schedule: every event the trace rings held at the
   *  trial's end (readEvents: the trial's own trace tail as it ran, stall ends included). Absent
   *  when its actor threads outlived their termination (`stragglers`). */
  readonly ringEvents?: readonly TraceEvent[];
  /** From the watchdog's verdict to every worker finished or terminated (ms); 0 if it never
   *  fired. */
  readonly teardownMs: number;
}

const POLL_MS = 25;

/** How a trial's actor threads ended: the teardown's time (ms, from the watchdog's verdict; 0
 *  when every actor finished by itself), and whether they are all gone — false when a thread
 *  outlived its termination bound and may still run. */
interface Teardown {
  readonly teardownMs: number;
  readonly gone: boolean;
}

export class StressExecutor<P extends Params = Params, E = unknown> extends ThreadedExecutor<P, E> {
  private readonly opts: StressOptions;

  private readonly waitPolicy: number;

  /** Schedule 'stalls': per actor, the most yields it made in a trial so far (learnHorizons). */
  private readonly horizons: number[] = [];

  constructor(scenario: Scenario<P, E>, opts: StressOptions) {
    super(scenario, opts);
    this.opts = opts;
    this.waitPolicy = chooseStressWaitPolicy(opts.waitPolicy);
  }

  /** Run one free-running trial seeded with `seed`; actors are asked to stop after `durationMs`. */
  async runTrial(seed: number, durationMs = this.opts.durationMs): Promise<StressResult> {
    if (!this.modules.ok) return { ...moduleFailureResult(seed, this.modules), wallMs: 0, teardownMs: 0 };
    await this.awaitUsable();
    const a = this.arena;
    const n = this.actorNames.length;
    const env = prepareTrial(a, this.setupTask, this.scenario, this.params, {
      actors: n, mode: EXEC_STRESS, stepLimit: 0x7fffffff, waitPolicy: this.waitPolicy, spinCores: spinCores(),
    });
    const start = performance.timeOrigin + performance.now();
    const plan = this.plan(seed);
    const each = this.pool.runAll(this.messages(env, seed, start, plan));
    // Each actor's own end, kept as it comes: not the rejection of a task whose thread the
    // watchdog terminates (the actor never ended by itself).
    const settled: Settled[] = [];
    let terminating = false;
    each.forEach((p, i) => { void p.then((s) => { if (!terminating) settled[i] = s; }); });
    const { teardownMs, gone } = await this.watch(Promise.all(each), start, durationMs, (i) => settled[i] !== undefined, () => { terminating = true; });
    const crash = this.crashOf(settled, 0);
    endTrial(a, TRIAL_DONE, -1, 0);
    if (this.opts.schedule === 'stalls' && gone) learnHorizons(a, this.horizons, n);
    const result = collectResult(a, seed, {
      actorNames: this.actorNames, crashMessage: crash, events: this.opts.events === true && gone, decisions: true,
    });
    return {
      ...result, wallMs: performance.timeOrigin + performance.now() - start, teardownMs,
      ...(gone ? {} : { stragglers: true }), ...this.ringsRead(plan, result, gone),
    };
  }

  /** For a trial with findings, `ringEvents` (whatever the schedule) and, with stall points,
   *  `stallEnds`, read from the trace rings before the next trial resets them — only when every
   *  actor thread is `gone` (none still writes them); and the result's `plan` when the trial ran
   *  with one (schedule 'stalls' or stallPoints). */
  private ringsRead(plan: StressPlan, r: TrialResult, gone: boolean): Pick<StressResult, 'plan' | 'stallEnds' | 'ringEvents'> {
    const planned = this.opts.schedule === 'stalls' || this.opts.stallPoints !== undefined;
    const read = r.findings.length > 0 && gone;
    const ringEvents = read ? r.events ?? readEvents(this.arena, this.actorNames.length) : undefined;
    if (!planned) return ringEvents === undefined ? {} : { ringEvents };
    if (ringEvents === undefined) return { plan };
    if (plan.stalls.every((s) => s.length === 0)) return { plan, ringEvents };
    return { plan, stallEnds: stallRecords(ringEvents), ringEvents };
  }

  /** The delays and stall points of the trial seeded `seed`: under schedule 'stalls' drawn from
   *  the seed and the horizons learned so far (stress_stalls.ts), else the options' delays for
   *  every trial and no stall. */
  private plan(seed: number): StressPlan {
    const o = this.opts;
    const base = { delayChance: o.delayChance ?? STRESS_DELAY_CHANCE, maxDelaySpins: o.maxDelaySpins ?? STRESS_DELAY_SPINS };
    if (o.stallPoints !== undefined) return { ...base, stalls: o.stallPoints };
    if (o.schedule !== 'stalls') return { ...base, stalls: [] };
    return drawStressPlan(seed, this.actorNames.length, this.horizons, base);
  }

  private messages(env: E, seed: number, originMs: number, plan: StressPlan): ActorTaskMsg[] {
    const o = this.opts;
    return this.actorNames.map((_, actor) => ({
      kind: 'stress', arenaId: this.arenaId, sab: this.arena.sab, module: this.scenario.module,
      scenario: this.scenario.name, params: this.params, resolved: this.modules.resolved, env, actor, strategy: 'none',
      seed, delayChance: plan.delayChance, maxDelaySpins: plan.maxDelaySpins,
      ...(plan.stalls[actor] === undefined || plan.stalls[actor].length === 0 ? {} : { stalls: plan.stalls[actor] }),
      injectChance: o.injectChance ?? 0, originMs,
      ...(this.devmem === undefined ? {} : { devmem: shareDeviceMemory(this.devmem) }),
      ...(o.stats === undefined ? {} : { stats: o.stats }),
    }));
  }

  /**
   * Wait for the actors while the watchdog (stress_watch.ts) watches progress, the duration, the
   * grace period and the threads' start-up. On its verdict the trial ends with it, unless an actor
   * ended it first (a bug or a crash: the others stop at their next scheduling point, but one
   * that never reaches it stalls too), and the workers are torn down either way;
   * `beforeTerminate` runs before any thread is terminated. `ended(i)`: actor i's task settled.
   * Returns the teardown (Teardown; time 0 when every actor finished by itself).
   */
  private async watch(jobs: Promise<Settled[]>, start: number, durationMs: number, ended: (actor: number) => boolean, beforeTerminate: () => void): Promise<Teardown> {
    const a = this.arena;
    const o = this.opts;
    const watch = new StressWatch(a, start, {
      durationMs, stallMs: o.stallMs ?? STRESS_STALL_MS, graceMs: o.graceMs ?? STRESS_GRACE_MS, startupMs: o.startupMs ?? STARTUP_MS,
    }, ended, o.readWaitNs);
    const poll = new PollWatch(jobs);
    try {
      for (;;) {
        if (await poll.tick(POLL_MS)) return { teardownMs: 0, gone: true };
        const verdict = watch.poll(performance.timeOrigin + performance.now(), o.signal?.aborted === true);
        if (verdict !== null) {
          if (a.ctl(C_STATE) === TRIAL_RUNNING) endTrial(a, verdict.state, verdict.actor, 0);
          return await this.teardown(jobs, beforeTerminate);
        }
      }
    } finally {
      this.startupSpentMs += watch.startupMs;
    }
  }

  /** After a verdict: give workers STRESS_NOTICE_MS to notice, then (after `beforeTerminate`)
   *  terminate them (STRESS_TERMINATE_MS bound). Returns the time it took and whether every
   *  actor thread is gone. */
  private async teardown(jobs: Promise<Settled[]>, beforeTerminate: () => void): Promise<Teardown> {
    const t0 = performance.now();
    let gone = true;
    if (await withinMs(jobs, STRESS_NOTICE_MS, null) === null) {
      beforeTerminate();
      gone = await this.terminateHung(STRESS_TERMINATE_MS);
    }
    return { teardownMs: performance.now() - t0, gone };
  }

}
