/**
 * Hunting one scenario: run trials until the expected finding turns up (buggy variant) or the
 * budget is spent (a fixed twin must stay clean), and say whether the expectation was met.
 * Trials run in slices of a few milliseconds with a turn of the event loop between them, so a
 * SIGINT (the `signal`) stops a campaign between slices and what was found so far is reported.
 */
import type { Decision, Finding, TrialResult } from '../exec/result.js';
import type { AnyScenario, Params } from '../exec/scenario.js';
import { portfolioFor } from './portfolio.js';
import { createRunner, type ExecutorKind } from './runner.js';
import type { SliceTrial } from '../exec/slice.js';
import { stressPlanOf, type StressPlanned } from './stress_plan.js';

export interface HuntOptions {
  /** Trial budget per scenario. */
  readonly trials: number;
  /** Wall-clock budget per scenario (ms), not counting the time actor threads take to start. */
  readonly timeMs: number;
  readonly seed: number;
  /** Strategy specs to rotate over (default: portfolioFor the scenario; the stress executor
   *  takes none, and its hunt runs no probe trial to choose them). */
  readonly strategies?: readonly string[] | undefined;
  readonly executor?: ExecutorKind;
  /** Inline and controlled: a trial not ended after this long (ms) is a hang in the watchdog;
   *  stress: a trial without progress for this long (default: the executor's,
   *  INLINE_TRIAL_TIMEOUT_MS, CONTROLLED_TRIAL_TIMEOUT_MS, STRESS_STALL_MS). */
  readonly trialTimeoutMs?: number | undefined;
  readonly params?: Params;
  /** Spend the whole budget collecting distinct findings instead of stopping at the expected
   *  one. */
  readonly keepGoing?: boolean;
  /** Stops the hunt between trials (SIGINT). */
  readonly signal?: AbortSignal;
  /** Called with each new distinct finding (artifact writing) and after each batch of trials. */
  readonly onFinding?: (f: HuntFinding) => void | Promise<void>;
  readonly onProgress?: (trials: number) => void;
}

/** A stress finding also carries its trial's plan and the stalls that ended, or that threads
 *  outliving their termination left the trial's rings unread (stressStragglers), and the one
 *  handed to onFinding its trial's own trace (stressTrace; stress_plan.ts); the other executors'
 *  findings carry none of these. */
export interface HuntFinding extends Finding, StressPlanned {
  /** 1-based trial number in this hunt. */
  readonly trial: number;
  readonly seed: number;
  readonly strategy: string;
  readonly executor: ExecutorKind;
  /** The schedule of the trial that found it. */
  readonly decisions: readonly Decision[];
}

export interface HuntReport {
  readonly scenario: string;
  readonly expect: string;
  readonly trials: number;
  readonly seconds: number;
  /** First finding of each distinct title. */
  readonly findings: readonly HuntFinding[];
  /** Trials until the first finding of the expected kind (1-based), or null. */
  readonly firstExpected: number | null;
  readonly ok: boolean;
  /** Finding records (repeats included) lost because a trial filled the arena's findings table. */
  readonly dropped: number;
  /** The hunt was stopped by its signal before the budget was spent. */
  readonly interrupted: boolean;
}

const SLICE_MS = 25;

/**
 * Hunt `s` with the given budget. A buggy scenario stops at its first expected finding; any hunt
 * stops at a trial a watchdog ended (a hang in the watchdog: the trials after it would most
 * likely hang too, each costing the whole trial timeout).
 */
export async function hunt(s: AnyScenario, o: HuntOptions): Promise<HuntReport> {
  const executor = o.executor ?? 'inline';
  const strategies = o.strategies ?? (executor === 'stress' ? [] : portfolioFor(s, o.params, o.trialTimeoutMs));
  const runner = createRunner(s, { executor, strategies, params: o.params, trialTimeoutMs: o.trialTimeoutMs });
  const st = { byTitle: new Map<string, HuntFinding>(), firstExpected: null as number | null, trials: 0, dropped: 0 };
  const stop = o.keepGoing === true ? undefined : findsKind(s.expect);
  const keep = firstOfTitle();
  const t0 = performance.now();
  const spent = (): number => performance.now() - t0 - runner.startupMs();
  try {
    while (st.trials < o.trials && spent() < o.timeMs && o.signal?.aborted !== true) {
      const ms = Math.min(SLICE_MS, o.timeMs - spent());
      const slice = await runner.runSome({ from: st.trials, to: o.trials, base: o.seed, ms, stop, keep });
      for (const t of slice.kept) for (const f of takeTrial(st, t, s.expect, executor)) await o.onFinding?.(f);
      st.trials += slice.ran;
      st.dropped += slice.dropped;
      if ((st.firstExpected !== null && o.keepGoing !== true) || slice.hung) break;
      o.onProgress?.(st.trials);
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    await runner.close();
  }
  o.onProgress?.(st.trials);
  return huntReport(s, st, t0, o.signal);
}

/** The slice stop of a hunt that ends at its first finding of kind `expect`. */
export function findsKind(expect: string): (r: TrialResult) => boolean {
  return (r) => r.findings.some((f) => f.kind === expect);
}

/** The report of a hunt in state `st` that started at `t0`: findings in trial order. */
export function huntReport(s: AnyScenario, st: HuntState, t0: number, signal: AbortSignal | undefined): HuntReport {
  const findings = [...st.byTitle.values()].sort((x, y) => x.trial - y.trial);
  const ok = s.expect === 'clean' ? findings.length === 0 : st.firstExpected !== null;
  return {
    scenario: s.name, expect: s.expect, trials: st.trials, seconds: (performance.now() - t0) / 1000, findings,
    firstExpected: st.firstExpected, ok, dropped: st.dropped, interrupted: signal?.aborted === true,
  };
}

/** What a hunt accumulates: the first finding of each title, the first expected trial, counts. */
export interface HuntState {
  readonly byTitle: Map<string, HuntFinding>;
  firstExpected: number | null;
  trials: number;
  dropped: number;
}

/**
 * A slice's `keep` for a hunt: trials with a finding of a title, or of a kind, no earlier trial
 * had. A hunt reports each title's first trial and the first trial of its expected kind, so no
 * other trial's result is needed.
 */
export function firstOfTitle(): (r: TrialResult) => boolean {
  // Two sets rather than one of prefixed keys: a key built per finding per trial cost a string
  // concatenation and its hashing on every trial with findings (docs/BENCHMARKS.md, "Session 30").
  const titles = new Set<string>();
  const kinds = new Set<string>();
  const fresh = (seen: Set<string>, key: string): boolean => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  return (r) => {
    let any = false;
    for (const f of r.findings) {
      if (fresh(titles, f.title)) any = true;
      if (fresh(kinds, f.kind)) any = true;
    }
    return any;
  };
}

/**
 * Take kept trial `t` (campaign trial `t.trial`, 0-based) into `st`: the first trial of the
 * expected kind, and the first finding of each title. Returns the findings new to `st`; a stress
 * trial's own trace (stressTrace) is on those only, for onFinding's artifacts: `st` keeps none,
 * so a long hunt holds no trial's trace once its findings were handed on.
 */
export function takeTrial(st: HuntState, t: SliceTrial, expect: string, executor: ExecutorKind): HuntFinding[] {
  const trial = t.trial + 1;
  const fresh: HuntFinding[] = [];
  const { stressTrace, ...planned } = stressPlanOf(t.result);
  for (const f of t.result.findings) {
    if (f.kind === expect && st.firstExpected === null) st.firstExpected = trial;
    if (st.byTitle.has(f.title)) continue;
    const hf: HuntFinding = { ...f, trial, seed: t.result.seed, strategy: t.strategy, executor, decisions: t.decisions, ...planned };
    st.byTitle.set(f.title, hf);
    fresh.push(stressTrace === undefined ? hf : { ...hf, stressTrace });
  }
  return fresh;
}
