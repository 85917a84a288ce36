/**
 * `--jobs J`: one scenario's inline trials fanned out over J worker threads (tinypool) in batches
 * of consecutive trial numbers, so trial i runs the same strategy and seed as without --jobs. At
 * most J batches are in flight (a semaphore); once the expected finding or a hang in the watchdog
 * turns up no new batch starts, and the first expected finding is the lowest trial number among the
 * batches that ran. A batch refused as bad input stops the hunt, which throws that refusal once the
 * others ended. Findings are handed to `onFinding` once every batch ended, each the first of its
 * title by trial number: a batch of later trials may answer first.
 */
import { Semaphore } from 'async-mutex';
import { Tinypool } from 'tinypool';
import { HarnessError } from '../errno/errors.js';
import type { AnyScenario } from '../exec/scenario.js';
import { resolveParams } from '../exec/scenario.js';
import type { BatchMsg, BatchResult } from './batch.js';
import { huntReport, type HuntFinding, type HuntOptions, type HuntReport, type HuntState } from './hunt.js';
import { portfolioFor } from './portfolio.js';

const WORKER = new URL('../../workers/hunt.js', import.meta.url).href;
/** Trials per batch: large enough that a message round trip (~0.1 ms) is noise next to it. */
const BATCH = 256;

/** The worker threads of a `--jobs` campaign, shared by its scenarios. */
export function jobsPool(jobs: number): Tinypool {
  return new Tinypool({ filename: WORKER, minThreads: jobs, maxThreads: jobs, isolateWorkers: false });
}

/** Hunt `s` like `hunt` (inline only) on `pool`'s `jobs` worker threads. */
export async function huntJobs(s: AnyScenario, o: HuntOptions, pool: Tinypool, jobs: number): Promise<HuntReport> {
  const sem = new Semaphore(jobs);
  const st: JobsState = { byTitle: new Map<string, HuntFinding>(), firstExpected: null, trials: 0, dropped: 0, next: 0, hung: false };
  const base: Omit<BatchMsg, 'from' | 'to'> = {
    module: s.module, scenario: s.name, params: resolveParams(s, o.params), strategies: o.strategies ?? portfolioFor(s, o.params, o.trialTimeoutMs),
    seed: o.seed, expect: s.expect, keepGoing: o.keepGoing === true, trialTimeoutMs: o.trialTimeoutMs,
  };
  const t0 = performance.now();
  const more = (): boolean => st.next < o.trials && performance.now() - t0 < o.timeMs && o.signal?.aborted !== true &&
    (st.firstExpected === null || o.keepGoing === true) && st.refused === undefined && !st.hung;
  const inFlight = new Set<Promise<void>>();
  while (more()) {
    const [, release] = await sem.acquire();
    if (!more()) { release(); break; }
    const from = st.next;
    st.next = Math.min(o.trials, from + BATCH);
    const p = (pool.run({ ...base, from, to: st.next }) as Promise<BatchResult>)
      .then((r) => merge(st, r, o)).finally(() => { release(); inFlight.delete(p); });
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  if (st.refused !== undefined) throw new HarnessError(st.refused.code, st.refused.message);
  const report = huntReport(s, st, t0, o.signal);
  for (const f of report.findings) await o.onFinding?.(f);
  return report;
}

/** A jobs hunt's state: the next trial to hand out, and the first batch's refusal (bad input). */
interface JobsState extends HuntState {
  next: number;
  /** A batch ended at a hang in the watchdog (see hunt). */
  hung: boolean;
  refused?: BatchResult['refused'];
}

function merge(st: JobsState, r: BatchResult, o: HuntOptions): void {
  if (r.refused !== undefined) { st.refused ??= r.refused; return; }
  st.trials += r.ran;
  st.hung ||= r.hung;
  st.dropped += r.dropped;
  if (r.firstExpected !== null && (st.firstExpected === null || r.firstExpected < st.firstExpected)) st.firstExpected = r.firstExpected;
  for (const f of r.findings) {
    const had = st.byTitle.get(f.title);
    if (had === undefined || f.trial < had.trial) st.byTitle.set(f.title, f);
  }
  o.onProgress?.(st.trials);
}
