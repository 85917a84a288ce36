/**
 * A batch of inline campaign trials run in a worker thread (`--jobs`): the worker loads the
 * scenario by its module URL and name, keeps one runner per (scenario, parameters, strategies)
 * across batches so what strategies learn carries over, and returns the batch's findings with
 * the schedules that produced them. Titles are computed in the worker, where the trial ran.
 */
import { HarnessError, type ErrorCode } from '../errno/errors.js';
import { loadScenario } from '../exec/load_scenario.js';
import type { Params } from '../exec/scenario.js';
import type { HuntFinding } from './hunt.js';
import { createRunner, type TrialRunner } from './runner.js';

export interface BatchMsg {
  readonly module: string;
  readonly scenario: string;
  readonly params: Params;
  readonly strategies: readonly string[];
  /** Trials [from, to) of the campaign, seeds `seed + i`. */
  readonly from: number;
  readonly to: number;
  readonly seed: number;
  /** The scenario's expected kind; the batch stops at its first finding unless `keepGoing`. */
  readonly expect: string;
  readonly keepGoing: boolean;
}

export interface BatchResult {
  /** Trials run (the batch may stop early). */
  readonly ran: number;
  /** The trials stopped on bad input (a HarnessError, e.g. a scenario refused for running code
   *  of a module it does not list): its code and line, for the main thread to throw again. */
  readonly refused?: { readonly code: ErrorCode; readonly message: string };
  /** First finding of each title in this batch, `trial` 1-based in the campaign. */
  readonly findings: readonly HuntFinding[];
  readonly firstExpected: number | null;
  readonly dropped: number;
}

const runners = new Map<string, TrialRunner>();

/** Run one batch (worker side). A HarnessError comes back as `refused` (errors lose their class
 *  crossing threads). */
export async function runBatch(m: BatchMsg): Promise<BatchResult> {
  try {
    return await batch(m);
  } catch (err) {
    if (!(err instanceof HarnessError)) throw err;
    return { ran: 0, findings: [], firstExpected: null, dropped: 0, refused: { code: err.code, message: err.message } };
  }
}

async function batch(m: BatchMsg): Promise<BatchResult> {
  const key = JSON.stringify([m.module, m.scenario, m.params, m.strategies]);
  let runner = runners.get(key);
  if (runner === undefined) {
    const s = await loadScenario(m.module, m.scenario);
    runner = createRunner(s, { executor: 'inline', strategies: m.strategies, params: m.params });
    runners.set(key, runner);
  }
  const byTitle = new Map<string, HuntFinding>();
  let firstExpected: number | null = null;
  let dropped = 0;
  let i = m.from;
  for (; i < m.to && (m.keepGoing || firstExpected === null); i++) {
    const t = await runner.run(i, m.seed);
    dropped += t.result.dropped ?? 0;
    for (const f of t.result.findings) {
      if (f.kind === m.expect && firstExpected === null) firstExpected = i + 1;
      if (!byTitle.has(f.title)) {
        byTitle.set(f.title, { ...f, trial: i + 1, seed: t.result.seed, strategy: t.strategy, executor: 'inline', decisions: t.decisions });
      }
    }
  }
  return { ran: i - m.from, findings: [...byTitle.values()], firstExpected, dropped };
}
