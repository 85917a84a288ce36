/**
 * Re-running a recorded schedule: a replay file's decisions under `inline` or `controlled`,
 * exactly (a divergence is reported) or as a guide (a `stress` yield order, a shrink candidate).
 * A recorded finding is reproduced when a finding with the same title turns up. A lockdep
 * finding's dependencies and irq usage are primed into the fresh executor first
 * (kernel/lockdep_prime.ts).
 */
import { ControlledExecutor } from '../exec/controlled.js';
import type { Arena } from '../shm/arena.js';
import { InlineExecutor } from '../exec/inline.js';
import type { Follow } from '../exec/prepare.js';
import type { Decision, Finding, TrialResult } from '../exec/result.js';
import type { AnyScenario, Params } from '../exec/scenario.js';
import { lockdepPrimeDeps, lockdepPrimeUsage } from '../kernel/lockdep_prime.js';
import { formerTitle } from '../kernel/former_titles.js';
import { C_TRIAL } from '../shm/layout.js';
import type { LockdepDep, LockdepUsage } from '../trace/lockdep_info.js';

export interface ReproduceOptions {
  readonly executor: 'inline' | 'controlled';
  readonly params: Params;
  readonly seed: number;
  readonly decisions: readonly Decision[];
  readonly follow?: Follow;
  /** Keep the trace (for reports and Perfetto traces). */
  readonly events?: boolean;
  /** Lock dependencies and irq usage to prime the fresh executor's validator with (what a lockdep
   *  finding carries: earlier trials may have recorded them). */
  readonly lockdep?: readonly LockdepDep[] | undefined;
  readonly lockdepUsage?: readonly LockdepUsage[] | undefined;
  /** The recorded finding's code: with it, a finding reproduces only with the same title and
   *  code (two checks may share a title: kind + function). */
  readonly code?: string | undefined;
  /** A trial not ended after this long (ms) is a hang in the watchdog (default: the executor's). */
  readonly trialTimeoutMs?: number | undefined;
  /** The title was read from a replay file of an earlier title revision (sameFinding `former`). */
  readonly formerTitles?: boolean | undefined;
}

/** A reproduction's finding, with the trial it was found in. */
export interface ReproducedFinding extends Finding {
  /** 1-based trial number on the reproduction's executor (the arena's trial counter, as lockdep
   *  records count trials: LockdepDep.trial, LockdepUsage.trial). A fresh executor counts from 1;
   *  primed with carried lockdep state, past every primed record's trial (lockdep_prime.ts), so a
   *  primed record always reads as an earlier trial's. Not the original's HuntFinding.trial. */
  readonly trial: number;
}

export interface Reproduction {
  readonly result: TrialResult;
  readonly actorNames: readonly string[];
  /** The run's first finding of the recorded title (sameFinding), if it produced one. */
  readonly finding: ReproducedFinding | undefined;
  /** Whether `finding` is defined (read from it, not stored beside it). */
  readonly reproduced: boolean;
}

/** Trace ring size used when a reproduction keeps the trace: deep enough for a whole catalog
 *  trial. */
export const TRACE_EVENTS = 16_384;

/** Run the schedule once on a fresh executor and say whether a finding titled `title` came back. */
export async function reproduce(s: AnyScenario, title: string, o: ReproduceOptions): Promise<Reproduction> {
  const opts = {
    params: o.params, decisions: true, events: o.events === true,
    ...(o.events === true ? { geometry: { traceEvents: TRACE_EVENTS } } : {}),
    trialTimeoutMs: o.trialTimeoutMs,
  };
  let result: TrialResult;
  let actorNames: readonly string[];
  let trial: number;
  if (o.executor === 'controlled') {
    const ex = new ControlledExecutor(s, opts);
    prime(ex.arena, o);
    try {
      result = await ex.runTrial(o.seed, o.decisions, o.follow ?? 'exact');
      actorNames = ex.actorNames;
      trial = ex.arena.ctl(C_TRIAL);
    } finally {
      await ex.close();
    }
  } else {
    const ex = new InlineExecutor(s, opts);
    prime(ex.arena, o);
    result = ex.runTrial(o.seed, o.decisions, o.follow ?? 'exact');
    actorNames = ex.actorNames;
    trial = ex.arena.ctl(C_TRIAL);
    ex.close();
  }
  const found = result.findings.find((f) => sameFinding(f, title, o.code, o.formerTitles === true));
  const finding = found === undefined ? undefined : { ...found, trial };
  return { result, actorNames, finding, get reproduced() { return finding !== undefined; } };
}

/** Prime a fresh executor's arena `a` with what `o` carries, before its first trial. */
function prime(a: Arena, o: ReproduceOptions): void {
  lockdepPrimeDeps(a, o.lockdep ?? []);
  lockdepPrimeUsage(a, o.lockdepUsage ?? []);
}

/** Whether `f` is the recorded finding: the same title — or, when `former` (a title read from a
 *  replay file of an earlier warn.ts TITLES_REVISION: replay_file.ts formerTitles), one its check
 *  had before (formerTitle) — and the same code when one was recorded. */
export function sameFinding(f: { readonly title: string; readonly code: string }, title: string, code?: string, former = false): boolean {
  return (f.title === title || (former && formerTitle(f.code, title))) && (code === undefined || f.code === code);
}
