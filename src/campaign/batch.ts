/**
 * A batch of inline campaign trials run in a worker thread (`--jobs`): the worker loads the
 * scenario by its module URL and name, keeps one runner per (scenario, parameters, strategies)
 * across batches so what strategies learn carries over, and returns the batch's findings with
 * the schedules that produced them. Titles are computed in the worker, where the trial ran.
 */
import { HarnessError, type ErrorCode } from '../errno/errors.js';
import { loadScenario } from '../exec/load_scenario.js';
import type { Params } from '../exec/scenario.js';
import { findsKind, firstOfTitle, takeTrial, type HuntFinding, type HuntState } from './hunt.js';
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
  readonly trialTimeoutMs?: number | undefined;
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
  /** The batch ended at a trial the watchdog stopped (a hang): the hunt starts no more batches. */
  readonly hung: boolean;
}

const runners = new Map<string, TrialRunner>();

/** Run one batch (worker side). A HarnessError comes back as `refused` (errors lose their class
 *  crossing threads). */
export async function runBatch(m: BatchMsg): Promise<BatchResult> {
  try {
    return await batch(m);
  } catch (err) {
    if (!(err instanceof HarnessError)) throw err;
    return { ran: 0, findings: [], firstExpected: null, dropped: 0, hung: false, refused: { code: err.code, message: err.message } };
  }
}

/** Slice length (ms) of a batch's trials: each slice runs under one watch (InlineExecutor). */
const SLICE_MS = 50;

async function batch(m: BatchMsg): Promise<BatchResult> {
  const key = JSON.stringify([m.module, m.scenario, m.params, m.strategies, m.trialTimeoutMs]);
  let runner = runners.get(key);
  if (runner === undefined) {
    const s = await loadScenario(m.module, m.scenario);
    runner = createRunner(s, { executor: 'inline', strategies: m.strategies, params: m.params, trialTimeoutMs: m.trialTimeoutMs });
    runners.set(key, runner);
  }
  const st: HuntState = { byTitle: new Map<string, HuntFinding>(), firstExpected: null, trials: 0, dropped: 0 };
  const stop = m.keepGoing ? undefined : findsKind(m.expect);
  const keep = firstOfTitle();
  let hung = false;
  while (m.from + st.trials < m.to && !hung && (m.keepGoing || st.firstExpected === null)) {
    const slice = await runner.runSome({ from: m.from + st.trials, to: m.to, base: m.seed, ms: SLICE_MS, stop, keep });
    for (const t of slice.kept) takeTrial(st, t, m.expect, 'inline');
    st.dropped += slice.dropped;
    hung = slice.hung;
    st.trials += slice.ran;
  }
  return { ran: st.trials, findings: [...st.byTitle.values()], firstExpected: st.firstExpected, dropped: st.dropped, hung };
}
