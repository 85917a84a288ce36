/**
 * `dmabuf-harness hunt [SCENARIO...]`: validate everything first (scenarios, parameters, the
 * output directory) so bad input writes nothing, then run the campaign, print the table or the
 * JSON document, and exit 0 (expectations met), 1 (missed) or 130 (interrupted; what was found
 * is still written).
 */
import { HarnessError } from '../errno/errors.js';
import { resolveParams, scenarioActors, type Params } from '../exec/scenario.js';
import { prepareOutDir, removeEmptyDirs } from '../campaign/artifacts.js';
import { campaignJson, runCampaign } from '../campaign/campaign.js';
import type { ExecutorKind } from '../campaign/runner.js';
import { runInterrupt, type CliIo } from './io.js';
import { cliParams, defaultArtifactsDir } from './options.js';
import { progressBar } from './progress.js';
import { probeScenarios, resolveScenarios } from './scenarios.js';
import { formatTable } from './table.js';

export interface HuntCliOptions {
  readonly executor: ExecutorKind;
  readonly strategy?: readonly string[] | undefined;
  readonly trials: number;
  readonly time: number;
  readonly seed: number;
  readonly jobs: number;
  /** ms (--trial-timeout); undefined: the executor's default. */
  readonly trialTimeout?: number;
  readonly keepGoing?: boolean;
  readonly out?: string;
  readonly artifacts: boolean;
  readonly json?: boolean;
  readonly param?: Params;
}

/**
 * Refuse options one of which would be ignored: --out beside --no-artifacts, and --jobs (which
 * fans inline trials out over threads) with another executor. `given`: the long flags given on
 * the command line.
 */
export function checkHuntOptions(o: HuntCliOptions, given: readonly string[]): void {
  if (o.out !== undefined && !o.artifacts) throw new HarnessError('ERR_BAD_OPTION', `--out ${o.out}: expected no --no-artifacts beside it (one names where artifacts go, the other writes none)`);
  if (given.includes('--jobs') && o.executor !== 'inline') {
    throw new HarnessError('ERR_BAD_OPTION', `--jobs ${o.jobs}: expected --executor inline (--jobs runs inline trials on more threads), got --executor ${o.executor}`);
  }
}

/** Run the hunt command against `io` (`given`: the long flags given on the command line); returns
 *  the exit code. */
export async function huntCommand(io: CliIo, args: readonly string[], o: HuntCliOptions, given: readonly string[] = []): Promise<number> {
  checkHuntOptions(o, given);
  const entries = await resolveScenarios(args);
  // The executors that schedule every step also hold the parameters to the scenario's
  // scheduledRules, and choose a portfolio by an inline probe. A stress hunt does neither: it runs
  // no portfolio (hunt.ts), an inline probe of a free-running scenario would need the scheduled
  // parameters or run to the step limit, and its first trial refuses unlisted modules itself.
  const scheduled = o.executor !== 'stress';
  for (const e of entries) scenarioActors(e.scenario, resolveParams(e.scenario, o.param ?? {}, cliParams(), scheduled));
  const probed = scheduled ? probeScenarios(entries, o.param ?? {}, o.trialTimeout) : entries;
  const out = o.artifacts ? o.out ?? defaultArtifactsDir() : undefined;
  const created = out === undefined ? undefined : prepareOutDir(out);
  const interrupt = runInterrupt(io);
  const bar = progressBar(io.stderr, o.json !== true, entries.length, o.trials);
  try {
    const rows = await runCampaign(probed, {
      trials: o.trials, timeMs: o.time, seed: o.seed, executor: o.executor, jobs: o.jobs,
      ...(o.strategy === undefined ? {} : { strategies: o.strategy }),
      keepGoing: o.keepGoing === true, signal: interrupt.signal, out, trialTimeoutMs: o.trialTimeout, ...(o.param === undefined ? {} : { params: o.param }),
      onScenario: (name, i) => bar.scenario(name, i), onProgress: (n) => bar.trials(n),
    });
    bar.stop();
    if (o.json === true) io.stdout.write(`${JSON.stringify(campaignJson(rows), null, 2)}\n`);
    else io.stdout.write(`${formatTable(rows.map((r) => r.report))}\n${out === undefined ? '' : `artifacts: ${out}\n`}`);
    if (interrupt.signal.aborted) return 130;
    return rows.every((r) => r.report.ok) ? 0 : 1;
  } catch (err) {
    // Refused part way: the campaign removed what it wrote; so goes a directory made for it.
    if (out !== undefined && created !== undefined) removeEmptyDirs(out, created);
    throw err;
  } finally {
    bar.stop();
    interrupt.stop();
  }
}
