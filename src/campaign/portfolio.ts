/**
 * The default strategy portfolio: trials rotate over a list of strategies, each with its own
 * inline executor (so learned parameters such as PCT's step estimate stay per strategy).
 */
import { InlineExecutor, type ExecOptions } from '../exec/inline.js';
import type { TrialResult } from '../exec/result.js';
import type { Params, Scenario } from '../exec/scenario.js';

export const DEFAULT_PORTFOLIO: readonly string[] = ['random', 'pct:2', 'pct:3', 'pct:1'];

export class Portfolio<P extends Params, E> {
  private readonly execs: InlineExecutor<P, E>[];
  readonly strategies: readonly string[];

  constructor(s: Scenario<P, E>, strategies: readonly string[], opts: ExecOptions = {}) {
    this.strategies = strategies;
    this.execs = strategies.map((strategy) => new InlineExecutor(s, { ...opts, strategy }));
  }

  /** Trial `i` of a campaign: strategy i mod k, seed `base + i`. */
  runTrial(i: number, base: number): { strategy: string; result: TrialResult } {
    const k = i % this.execs.length;
    return { strategy: this.strategies[k]!, result: this.execs[k]!.runTrial(base + i) };
  }
}
