/** Measuring every actor's progress in a ww stress run (no assertions: the tests judge it,
 *  support/stress.ts, and bench/stress_progress.ts reports it). */
import { StressExecutor, type StressResult } from '../../src/exec/stress.js';
import { ST_CPU_MS, StressStats, createStressStats } from '../../src/exec/stress-stats.js';
import type { AnyScenario, Params } from '../../src/exec/scenario.js';
import { withExecutor } from './executor.js';
import { PER_ACTOR } from '../fixtures/stress/ww_stress.js';

/**
 * An actor whose thread ran this long on a CPU (ms) over the measured trials without completing a
 * round is starved by the protocol. A round of the W6/W7 workloads costs ~0.15 ms of CPU (~6 per
 * ms at a load of 12 on 2 cores, at least ~2 per ms in 400 actor trials): 5 ms without one is not
 * the host's scheduling. Below it, the OS, not the protocol, kept the thread off the CPUs.
 */
export const PROGRESS_CPU_MS = 5;

/** The most trials of the measured length run while an actor without a round had less than
 *  PROGRESS_CPU_MS of CPU: a bound on the wall time spent re-measuring it. */
export const PROGRESS_TRIALS = 4;

/** An actor's rounds and time on a CPU (ms; NaN where the OS does not report it) over the
 *  measured trials. */
export interface ActorProgress { readonly rounds: number; readonly cpuMs: number }

/** The actors that ran PROGRESS_CPU_MS on a CPU without a round (NaN CPU counts as enough: the
 *  wall-clock rule where the OS does not report it). */
export function starvedActors(p: readonly ActorProgress[]): number[] {
  return p.flatMap((a, i) => (a.rounds === 0 && !(a.cpuMs < PROGRESS_CPU_MS) ? [i] : []));
}

/** The actors without a round that the OS gave less than PROGRESS_CPU_MS of CPU: not judged yet. */
export function unmeasuredActors(p: readonly ActorProgress[]): number[] {
  return p.flatMap((a, i) => (a.rounds === 0 && a.cpuMs < PROGRESS_CPU_MS ? [i] : []));
}

/** Another trial is due: no actor is starved, and one without a round is not judged yet. */
const remeasure = (p: readonly ActorProgress[]): boolean =>
  starvedActors(p).length === 0 && unmeasuredActors(p).length > 0;

/** The measured trials of a ww stress run and every actor's progress over them. */
export interface StressProgress {
  readonly trials: readonly StressResult[];
  /** How long each of `trials` waited for its actor threads to take it up (ms; the executor's
   *  startupMs across the trial): its wallMs includes that wait, its duration does not. */
  readonly takeUpMs: readonly number[];
  readonly progress: readonly ActorProgress[];
}

/**
 * Run `scenario` (a ww stress workload: user words PER_ACTOR + i count actor i's rounds) for
 * trials of `durationMs` after a short warm-up trial, which loads the actor threads (the
 * duration counts from the actors' take-up, so start-up no longer eats the measured window, but
 * the first trial's wall time would include it). A further trial runs while some actor has no
 * round and less than PROGRESS_CPU_MS of CPU and none is starved, at most PROGRESS_TRIALS in all;
 * rounds and CPU add up over the measured trials. That re-measure stays: taken up, a thread can
 * still be kept off the CPUs for most of a trial on a loaded host (one waited 900 ms of a 950 ms
 * trial at load 12–19, docs/BENCHMARKS.md stressprog37), and such an actor is not judged yet.
 */
export async function measureStress(
  scenario: AnyScenario, params: Params, durationMs: number, actors: number, locks: number,
): Promise<StressProgress> {
  const shared = createStressStats(actors, 1, durationMs, 0);
  const ex = new StressExecutor(scenario, {
    durationMs, injectChance: 0.02, params: { ...params, actors, locks }, stats: shared,
    ...(locks > 64 ? { geometry: { mutexes: locks + 8 } } : {}),
  });
  return withExecutor(ex, async (x) => {
    await x.runTrial(1, 20);
    new StressStats(shared).reset(0);
    const trials: StressResult[] = [];
    const takeUpMs: number[] = [];
    let progress: ActorProgress[] = [];
    do {
      const startupBefore = x.startupMs;
      trials.push(await x.runTrial((durationMs ^ locks) + trials.length));
      takeUpMs.push(x.startupMs - startupBefore);
      progress = Array.from({ length: actors }, (_, i) => ({
        rounds: trials.reduce((n, r) => n + r.user[PER_ACTOR + i]!, 0),
        cpuMs: new StressStats(shared).counter(i, ST_CPU_MS),
      }));
    } while (trials.length < PROGRESS_TRIALS && remeasure(progress));
    return { trials, takeUpMs, progress };
  });
}
