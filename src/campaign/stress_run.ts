/**
 * A stress timing campaign: free-running trials of one scenario on the stress executor, back to
 * back until the duration is spent, every actor recording phase latencies, lock counters,
 * wake-ups and DMA bytes into one statistics buffer that outlives the trials
 * (exec/stress-stats.ts). The first trial with a finding (or any end but `done`) stops the run:
 * its findings are the run's, and the trial itself, with the events its trace rings held, is
 * the outcome's `found` (for the findings' artifacts: stress_artifacts.ts).
 *
 * The warm-up (threads starting, code compiling) is measured by nobody: statistics start
 * afterwards, and so does the duration. It lasts `warmupMs`, by default WARMUP_MS_PER_ACTOR per
 * actor (at least WARMUP_MIN_MS), run as WARMUP_TRIALS trials of equal length, all with the
 * campaign's seed (the measured trials start at seed + 1). Every actor thread is an isolate of
 * its own that compiles the model's code for itself: on 2 cores a 10-actor run's engine copied
 * at half its steady rate for the first 1.5–1.9 s, and V8 optimises the actors' hot code again
 * at the start of their second trial, which held the engine off a CPU for ~1 s more
 * (docs/BENCHMARKS.md). So the first measured trial is each actor's third.
 *
 * A trial lasts at most `trialMs` (default 10 min: the model reclaims fences and DMA addresses, so
 * nothing else ends a free-running trial, and the bound keeps a trial's 32-bit step and event
 * counters far from wrapping); a scenario may still wind its trial down sooner (a finite `rounds`
 * or `jobs`).
 */
import { PH_REVOKE } from '../kernel/phases.js';
import { Histogram } from '../exec/hdr.js';
import { resolveParams, scenarioActors, type AnyScenario, type Params } from '../exec/scenario.js';
import { StressExecutor, type StressResult } from '../exec/stress.js';
import { ST_DMA_BYTES, StressStats, createStressStats } from '../exec/stress-stats.js';
import { STARTUP_MS } from '../exec/take_up.js';

export interface StressRunOptions {
  readonly scenario: AnyScenario;
  readonly params: Params;
  readonly durationMs: number;
  readonly seed: number;
  /** Device memory page size modelled (bytes). */
  readonly pageBytes: number;
  /** Longest single trial (ms, default TRIAL_MS). */
  readonly trialMs?: number;
  /** How long a trial may go without progress before the watchdog ends it as a hang (ms; default:
   *  the stress executor's STRESS_STALL_MS). */
  readonly stallMs?: number;
  /** The unmeasured warm-up, all its trials (ms; default: defaultWarmupMs of the actor count, at
   *  most the duration). */
  readonly warmupMs?: number;
  /** Probability of an injected -EDEADLK for ww_mutex_lock with a context holding locks. */
  readonly injectChance?: number;
  /** Probability of a seeded random delay at a yield (default: the stress executor's, 0.05). */
  readonly delayChance?: number;
  /** Aborting asks the running trial to stop and ends the run after it. */
  readonly signal?: AbortSignal;
  /** Called about twice a second while the run goes on. */
  readonly onTick?: (s: StressSnapshot) => void;
}

/** The live view of a run (approximate while actors write). */
export interface StressSnapshot {
  readonly elapsedMs: number;
  readonly durationMs: number;
  readonly trials: number;
  readonly revokes: number;
  readonly revokeP99Ns: number;
  readonly dmaBytesPerSec: number;
}

export interface StressFinding { readonly kind: string; readonly title: string; readonly message: string; readonly seed: number }

/** The trial that stopped a run with findings, as its artifacts need it (stress_artifacts.ts). */
export interface StressFound {
  /** Which of the run's trials it was (1-based, the warm-up's counted). */
  readonly trial: number;
  /** Its result: the findings as the model reported them, the decisions, and the events its trace
   *  rings held (StressResult.ringEvents), or that threads outliving their termination left them
   *  unread (`stragglers`). */
  readonly result: StressResult;
}

export interface StressOutcome {
  readonly stats: StressStats;
  readonly actorNames: readonly string[];
  readonly trials: number;
  /** From the measured run's start to its last trial's end (ms, wall clock): each trial's
   *  duration counts from its actor threads' take-up (stress_watch.ts), so this includes the
   *  take-ups (milliseconds once the warm-up has started the threads). */
  readonly wallMs: number;
  /** The unmeasured warm-up that ran first (ms, all its trials); 0 when a finding in it ended the
   *  run, whose figures are then the warm-up's own. */
  readonly warmupMs: number;
  readonly startedAt: string;
  /** `done`, or the end state of the trial that stopped the run. */
  readonly end: string;
  readonly findings: readonly StressFinding[];
  /** The trial those findings came from; absent when there are none. */
  readonly found?: StressFound;
}

const wall = (): number => performance.timeOrigin + performance.now();
const TICK_MS = 500;
/** The warm-up trials start the actor threads and warm the code up; their figures are dropped. */
export const WARMUP_TRIALS = 2;
export const WARMUP_MIN_MS = 600;
export const WARMUP_MS_PER_ACTOR = 400;

/** The default warm-up of a run with `actors` actor threads (ms, all WARMUP_TRIALS trials).
 *  Measured on 2 cores with stress-revoke (engine copy rate in 250 ms windows from the first
 *  trial's start): 3 actors reach their steady rate after ~0.4 s, 6 after ~0.75 s, 10 after
 *  1.5–1.9 s; and the second trial's re-optimisation took ~1 s with 10. */
export function defaultWarmupMs(actors: number): number {
  return Math.max(WARMUP_MIN_MS, WARMUP_MS_PER_ACTOR * actors);
}
/** Series slots are kept for the duration plus this much: grace and teardown, and the actor
 *  threads' take-up (up to STARTUP_MS), which a trial's duration no longer includes. */
const SLACK_MS = 20_000 + STARTUP_MS;
/** Default longest trial: at ~10^5 yields a second, 2^31 steps are hours away. */
export const TRIAL_MS = 600_000;

/** Slot length of the DMA series: about 200 points over the run, at least 100 ms each. */
export function seriesSlotMs(durationMs: number): number {
  return Math.max(100, Math.round(durationMs / 200));
}

/** Run the campaign; never throws for a finding (it is in the outcome). */
export async function runStressCampaign(o: StressRunOptions): Promise<StressOutcome> {
  const actors = scenarioActors(o.scenario, resolveParams(o.scenario, o.params)).length;
  const warmupMs = o.warmupMs ?? Math.min(defaultWarmupMs(actors), o.durationMs);
  // The series spans the measured run, or the warm-up when a finding ends the run in it.
  const spanMs = Math.max(o.durationMs, warmupMs);
  const slotMs = seriesSlotMs(spanMs);
  const shared = createStressStats(actors, Math.ceil((spanMs + SLACK_MS) / slotMs), slotMs, wall());
  const ex = new StressExecutor(o.scenario, {
    durationMs: o.durationMs, params: o.params, pageBytes: o.pageBytes, stats: shared, injectChance: o.injectChance ?? 0,
    ...(o.delayChance === undefined ? {} : { delayChance: o.delayChance }), stallMs: o.stallMs,
    ...(o.signal === undefined ? {} : { signal: o.signal }),
  });
  try {
    return await timedTrials(ex, new StressStats(shared), o, warmupMs);
  } finally {
    await ex.close();
  }
}

/** The warm-up trials, then trials until the duration is spent or one ends with a finding. */
async function timedTrials(ex: StressExecutor, stats: StressStats, o: StressRunOptions, warmupMs: number): Promise<StressOutcome> {
  const findings: StressFinding[] = [];
  let found: StressFound | undefined;
  let ran = 0;
  const failed = (r: StressResult): boolean => {
    ran++;
    for (const f of r.findings) findings.push({ kind: f.kind, title: f.title, message: f.message, seed: r.seed });
    if (r.findings.length > 0) found = { trial: ran, result: r };
    return r.findings.length > 0 || r.end !== 'done';
  };
  const warmStart = stats.originMs;
  const outcome = (trials: number, start: number, end: string, warmed: number): StressOutcome => ({
    stats, actorNames: ex.actorNames, trials, wallMs: wall() - start, warmupMs: warmed, startedAt: new Date(start).toISOString(), end, findings,
    ...(found === undefined ? {} : { found }),
  });
  // A finding or an interrupt in the warm-up ends the run with what the warm-up measured (the
  // executor stops a trial once the signal is aborted).
  for (let i = 1; i <= WARMUP_TRIALS; i++) {
    const warm = await ex.runTrial(o.seed, warmupMs / WARMUP_TRIALS);
    if (failed(warm) || o.signal?.aborted === true) return outcome(i, warmStart, warm.end, 0);
  }
  const start = wall();
  stats.reset(start);
  let trials = 0;
  let stopped = false;
  let end = 'done';
  const tick = o.onTick === undefined ? undefined : setInterval(() => o.onTick!(snapshot(stats, start, o.durationMs, trials)), TICK_MS);
  try {
    for (let seed = o.seed + 1; !stopped && o.signal?.aborted !== true; seed++) {
      const left = o.durationMs - (wall() - start);
      if (left <= 0) break;
      const r = await ex.runTrial(seed, Math.min(left, o.trialMs ?? TRIAL_MS));
      trials++;
      if (failed(r)) { stopped = true; end = r.end; }
    }
  } finally {
    if (tick !== undefined) clearInterval(tick);
  }
  return outcome(trials, start, end, warmupMs);
}

/** Revokes so far, their p99, and DMA bytes per second since the start. */
export function snapshot(stats: StressStats, start: number, durationMs: number, trials: number): StressSnapshot {
  const revoke = new Histogram();
  let bytes = 0;
  for (let a = 0; a < stats.shared.actors; a++) {
    if (stats.f64[stats.summary(a, PH_REVOKE)]! > 0) revoke.merge(stats.histogram(a, PH_REVOKE));
    bytes += stats.counter(a, ST_DMA_BYTES);
  }
  const elapsedMs = wall() - start;
  return {
    elapsedMs, durationMs, trials, revokes: revoke.count, revokeP99Ns: revoke.valueAt(0.99),
    dmaBytesPerSec: elapsedMs > 0 ? bytes / (elapsedMs / 1000) : 0,
  };
}
