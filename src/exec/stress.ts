/**
 * The stress executor, main-thread side: every actor on its own worker thread, running in
 * parallel with seeded random delays and -EDEADLK injection at yields, for a wall-clock duration
 * after which actors are asked to stop (Task.stopRequested). A watchdog reads the progress
 * counter: when it stalls, the wait-for table decides between a deadlock (everybody blocked) and a
 * hang (someone runs without yielding); either way the trial is ended, reported, and its workers
 * are gone within a bounded time.
 */
import {
  ACTOR_BLOCKED, ACTOR_DONE, ACTOR_NEW, A_STATE, A_WAIT_DEADLINE, A_WAIT_FLAGS, C_NACTORS, C_STATE, C_STEP, C_STOP,
  EXEC_STRESS, TRIAL_ABORTED, TRIAL_DEADLOCK, TRIAL_DONE, TRIAL_RUNNING, WAITF_TIMED,
} from '../shm/layout.js';
import { shareDeviceMemory } from '../shm/devmem.js';
import type { ExecOptions } from './inline.js';
import type { ActorTaskMsg } from './messages.js';
import { moduleFailureResult } from './modules.js';
import type { Settled } from './pool.js';
import { PollWatch, withinMs } from './waits.js';
import { prepareTrial } from './prepare.js';
import { collectResult, type TrialResult } from './result.js';
import type { Params, Scenario } from './scenario.js';
import { ThreadedExecutor } from './threaded.js';
import { chooseStressWaitPolicy, spinCores, type StressWaitPolicyName } from './wait_policy.js';
import { endTrial } from './step.js';
import type { StressStatsShared } from './stress-stats.js';

/** Default probability of a seeded random delay at a yield point. */
export const STRESS_DELAY_CHANCE = 0.05;

/** A stress trial in which no actor makes progress for this long (ms) is ended as a hang. */
export const STRESS_STALL_MS = 1000;

export interface StressOptions extends ExecOptions {
  /** Wall-clock run time before actors are asked to stop (ms). */
  readonly durationMs: number;
  /** Probability of a random delay at a yield, and its longest length in spin iterations. */
  readonly delayChance?: number;
  readonly maxDelaySpins?: number;
  /** Probability that a ww_mutex_lock with a context holding locks fails -EDEADLK. */
  readonly injectChance?: number;
  /** No progress for this long (ms; default STRESS_STALL_MS) and the watchdog ends the trial. */
  readonly stallMs?: number | undefined;
  /** After the stop request, how long actors get to finish (ms). */
  readonly graceMs?: number;
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
  /** From the watchdog's verdict to every worker finished or terminated (ms); 0 if it never fired. */
  readonly teardownMs: number;
}

const POLL_MS = 25;
export class StressExecutor<P extends Params = Params, E = unknown> extends ThreadedExecutor<P, E> {
  private readonly opts: StressOptions;

  private readonly waitPolicy: number;

  constructor(scenario: Scenario<P, E>, opts: StressOptions) {
    super(scenario, opts);
    this.opts = opts;
    this.waitPolicy = chooseStressWaitPolicy(opts.waitPolicy);
  }

  /** Run one free-running trial seeded with `seed`; actors are asked to stop after `durationMs`. */
  async runTrial(seed: number, durationMs = this.opts.durationMs): Promise<StressResult> {
    if (!this.modules.ok) return { ...moduleFailureResult(seed, this.modules), wallMs: 0, teardownMs: 0 };
    this.assertUsable();
    const a = this.arena;
    const n = this.actorNames.length;
    const env = prepareTrial(a, this.setupTask, this.scenario, this.params, {
      actors: n, mode: EXEC_STRESS, stepLimit: 0x7fffffff, waitPolicy: this.waitPolicy, spinCores: spinCores(),
    });
    const start = performance.timeOrigin + performance.now();
    const each = this.pool.runAll(this.messages(env, seed, start));
    // Each actor's own end, kept as it comes: not the rejection of a task whose thread the
    // watchdog terminates (the actor never ended by itself).
    const settled: Settled[] = [];
    let terminating = false;
    each.forEach((p, i) => { void p.then((s) => { if (!terminating) settled[i] = s; }); });
    const teardownMs = await this.watch(Promise.all(each), start, durationMs, () => { terminating = true; });
    const crash = this.crashOf(settled, 0);
    endTrial(a, TRIAL_DONE, -1, 0);
    const result = collectResult(a, seed, {
      actorNames: this.actorNames, crashMessage: crash, events: this.opts.events, decisions: true,
    });
    return { ...result, wallMs: performance.timeOrigin + performance.now() - start, teardownMs };
  }

  private messages(env: E, seed: number, originMs: number): ActorTaskMsg[] {
    const o = this.opts;
    return this.actorNames.map((_, actor) => ({
      kind: 'stress', arenaId: this.arenaId, sab: this.arena.sab, module: this.scenario.module,
      scenario: this.scenario.name, params: this.params, resolved: this.modules.resolved, env, actor, strategy: 'none',
      seed, delayChance: o.delayChance ?? STRESS_DELAY_CHANCE,
      maxDelaySpins: o.maxDelaySpins ?? 2000, injectChance: o.injectChance ?? 0, originMs,
      ...(this.devmem === undefined ? {} : { devmem: shareDeviceMemory(this.devmem) }),
      ...(o.stats === undefined ? {} : { stats: o.stats }),
    }));
  }

  /**
   * Wait for the actors while watching progress, the duration and the grace period. On a stall
   * or past the deadline the trial ends with the watchdog's verdict, unless an actor ended it
   * first (a bug or a crash: the others stop at their next scheduling point, but one that never
   * reaches it stalls too), and the workers are torn down either way; `beforeTerminate` runs
   * before any thread is terminated. Returns the teardown time (ms; 0 when every actor finished
   * by itself).
   */
  private async watch(jobs: Promise<Settled[]>, start: number, durationMs: number, beforeTerminate: () => void): Promise<number> {
    const a = this.arena;
    const stallMs = this.opts.stallMs ?? STRESS_STALL_MS;
    const deadline = start + durationMs + (this.opts.graceMs ?? 5000);
    const poll = new PollWatch(jobs);
    let last = -1;
    let lastChange = start;
    for (;;) {
      if (await poll.tick(POLL_MS)) return 0;
      const now = performance.timeOrigin + performance.now();
      if (now - start >= durationMs || this.opts.signal?.aborted === true) Atomics.store(a.i32, a.layout.control + C_STOP, 1);
      const p = a.ctl(C_STEP);
      if (p !== last) { last = p; lastChange = now; }
      const stalled = now - lastChange >= stallMs && !this.progressAhead(now - start - stallMs);
      const verdict = stalled ? this.stallVerdict() : now >= deadline ? { state: TRIAL_ABORTED, actor: -1 } : null;
      if (verdict !== null) {
        if (a.ctl(C_STATE) === TRIAL_RUNNING) endTrial(a, verdict.state, verdict.actor, 0);
        return this.teardown(jobs, beforeTerminate);
      }
    }
  }

  /** Deadlock when every unfinished actor is blocked; otherwise a hang naming the first actor
   *  that is neither (it runs without yielding, or is stuck). */
  private stallVerdict(): { readonly state: number; readonly actor: number } {
    const a = this.arena;
    const n = a.ctl(C_NACTORS);
    for (let i = 0; i < n; i++) {
      const st = a.i32[a.actor(i) + A_STATE];
      if (st !== ACTOR_DONE && st !== ACTOR_BLOCKED) return { state: TRIAL_ABORTED, actor: i };
    }
    return { state: TRIAL_DEADLOCK, actor: -1 };
  }

  /**
   * Whether progress will come by itself, so a quiet stretch is not a stall yet: an actor its
   * thread has not taken up (ACTOR_NEW: a loaded machine may start a worker late; the deadline
   * still bounds the trial), or a blocked timed sleeper whose deadline (jiffies since the trial
   * began) is after `sinceMs`. The caller passes the elapsed time minus one stall period, so a
   * sleeper that just woke but has not run yet still counts.
   */
  private progressAhead(sinceMs: number): boolean {
    const a = this.arena;
    const n = a.ctl(C_NACTORS);
    for (let i = 0; i < n; i++) {
      const b = a.actor(i);
      const st = a.i32[b + A_STATE];
      if (st === ACTOR_NEW) return true;
      if (st !== ACTOR_BLOCKED || (a.i32[b + A_WAIT_FLAGS]! & WAITF_TIMED) === 0) continue;
      if (a.i32[b + A_WAIT_DEADLINE]! > sinceMs) return true;
    }
    return false;
  }


  /** After a verdict: give workers 1 s to notice, then (after `beforeTerminate`) terminate them
   *  (1 s bound). Returns the time it took (ms). */
  private async teardown(jobs: Promise<Settled[]>, beforeTerminate: () => void): Promise<number> {
    const t0 = performance.now();
    if (await withinMs(jobs, 1000, null) === null) {
      beforeTerminate();
      await this.terminateHung(1000);
    }
    return performance.now() - t0;
  }

}
