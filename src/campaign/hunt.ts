/**
 * Hunting one scenario: run trials until the expected finding turns up (buggy variant) or the
 * budget is spent (a fixed twin must stay clean), and say whether the expectation was met.
 */
import type { Finding } from '../exec/result.js';
import type { Params, Scenario } from '../exec/scenario.js';
import { Portfolio } from './portfolio.js';

export interface HuntOptions {
  /** Trial budget per scenario. */
  readonly trials: number;
  /** Wall-clock budget per scenario (ms). */
  readonly timeMs: number;
  readonly seed: number;
  readonly strategies: readonly string[];
}

export interface HuntFinding extends Finding {
  readonly trial: number;
  readonly seed: number;
  readonly strategy: string;
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
  /** Findings lost because a trial filled the arena's findings table. */
  readonly dropped: number;
}

/** Hunt `s` with the given budget. A buggy scenario stops at its first expected finding. */
export function hunt<P extends Params, E>(s: Scenario<P, E>, o: HuntOptions): HuntReport {
  const portfolio = new Portfolio(s, o.strategies);
  const byTitle = new Map<string, HuntFinding>();
  const t0 = performance.now();
  let firstExpected: number | null = null;
  let trials = 0;
  let dropped = 0;
  while (trials < o.trials && performance.now() - t0 < o.timeMs) {
    const { strategy, result } = portfolio.runTrial(trials, o.seed);
    trials++;
    dropped += result.dropped ?? 0;
    for (const f of result.findings) {
      if (!byTitle.has(f.title)) byTitle.set(f.title, { ...f, trial: trials, seed: result.seed, strategy });
      if (f.kind === s.expect && firstExpected === null) firstExpected = trials;
    }
    if (firstExpected !== null) break;
  }
  const findings = [...byTitle.values()];
  const ok = s.expect === 'clean' ? findings.length === 0 : firstExpected !== null;
  return { scenario: s.name, expect: s.expect, trials, seconds: (performance.now() - t0) / 1000, findings, firstExpected, ok, dropped };
}
