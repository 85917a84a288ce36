/**
 * `dmabuf-harness stress SCENARIO --duration 60s [--importers N] [--engines M] [--buffer-size S]
 * [--job-size J] [--revoke-every T] [--trial-timeout T] [--out results.json] [--svg plot.svg]
 * [--artifacts-dir DIR | --no-artifacts] [--json]`, and `dmabuf-harness stress --compare A.json
 * B.json` / `stress --schema`.
 *
 * Everything is validated before the run (scenario, knobs, output paths, the artifact directory),
 * so bad input writes nothing and exits 2 with one line. The run prints a live status line on a
 * TTY (stderr; never with --json), then the report (or the results JSON with --json) on stdout,
 * and writes the results file and plot atomically. A finding also leaves, as a hunt's stress
 * finding does, its report and its trial's Perfetto trace under the artifact directory (default
 * runs/<timestamp>/; stress_artifacts.ts), named in the report and the results; a clean run
 * writes none. Exit 0 clean, 1 a finding, 130 interrupted (what was measured is still written).
 */
import { STRESS_DELAY_CHANCE, STRESS_STALL_MS } from '../exec/stress.js';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { HarnessError } from '../errno/errors.js';
import { scenarioActors, type AnyScenario, type Params } from '../exec/scenario.js';
import type { StressRunArtifacts } from '../campaign/artifact_writer.js';
import { checkOutDir, checkWritable, writeAtomicAll } from '../campaign/artifacts.js';
import { formatCompare } from '../campaign/stress_compare.js';
import { buildStressResults } from '../campaign/stress_results.js';
import { writeStressArtifacts, type StressArtifactInput } from '../campaign/stress_artifacts.js';
import { WARMUP_MIN_MS, WARMUP_MS_PER_ACTOR, WARMUP_TRIALS, runStressCampaign, type StressOutcome } from '../campaign/stress_run.js';
import { parseStressResults, readStressResults, stressResultsJsonSchema } from '../campaign/stress_schema.js';
import { renderStressSvg } from '../campaign/stress_svg.js';
import { stressRevoke } from '../../scenarios/stress-revoke.js';
import { defaultArtifactsDir, durationMs, durationOption, givenOptions, paramPair, seedValue, trialTimeoutOption } from './options.js';
import { runInterrupt, type CliIo } from './io.js';
import { resolveScenarios } from './scenarios.js';
import { knobText, probability, readKnobs, stressParams } from './stress_knobs.js';
import { statusLine } from './stress_status.js';
import { stressSummary } from './stress_summary.js';

export interface StressCliOptions {
  readonly duration: number;
  readonly warmup?: number;
  /** The knobs as typed (their syntax checked by knobText while parsing): read by readKnobs, so
   *  a refusal echoes the text. */
  readonly importers?: string;
  readonly engines?: string;
  readonly bufferSize?: string;
  readonly jobSize?: string;
  readonly revokeEvery?: string;
  readonly seed: number;
  readonly injectDeadlk: number;
  readonly delay: number;
  /** ms without progress before the watchdog ends a trial as a hang (--trial-timeout); undefined:
   *  the stress executor's STRESS_STALL_MS. */
  readonly trialTimeout?: number;
  readonly param?: Params;
  readonly out?: string;
  readonly svg?: string;
  /** Where a finding's artifacts go (--artifacts-dir; default defaultArtifactsDir()). */
  readonly artifactsDir?: string;
  /** False with --no-artifacts: a finding writes none. */
  readonly artifacts: boolean;
  readonly json?: boolean;
  readonly compare?: readonly string[];
  readonly schema?: boolean;
}

/** Add the `stress` command to `p`, writing to `io`. */
export function registerStress(p: Command, io: CliIo, setCode: (c: number) => void): void {
  p.command('stress').description('timing stress campaign: latency histograms, DMA throughput, lock contention')
    .argument('[scenario]', `${stressRevoke.name} (the canonical revoke scenario, free-running), a catalog id or a scenario file`)
    .addOption(durationOption('--duration <duration>', 'run time (30s, 2m)', 60_000))
    .option('--warmup <duration>', `unmeasured warm-up, ${WARMUP_TRIALS} trials (default: ${WARMUP_MS_PER_ACTOR}ms per actor, at least ${WARMUP_MIN_MS}ms)`, durationMs)
    .option('--importers <n>', 'importers (stress-revoke: 1..16)', knobText('importers'))
    .option('--engines <m>', 'DMA engines (stress-revoke and the revoke scenarios: 1..8, at most the importers)', knobText('engines'))
    .option('--buffer-size <size>', 'dma-buf size, 64 pages (8M, 4M)', knobText('bufferSize'))
    .option('--job-size <size>', 'bytes one DMA job moves (default: the whole buffer)', knobText('jobSize'))
    .option('--revoke-every <period>', 'revoke (and un-revoke) period (10ms, 1s)', knobText('revokeEvery'))
    .option('--seed <s>', 'seed of the first trial', seedValue, 1)
    .option('--inject-deadlk <p>', 'probability of an injected -EDEADLK for a ww lock with a context holding locks', probability, 0)
    .option('--delay <p>', 'probability of a seeded random delay at a yield point (0: time the model undisturbed)', probability, STRESS_DELAY_CHANCE)
    .addOption(trialTimeoutOption(`a trial without progress for this long is a hang (default ${STRESS_STALL_MS / 1000}s)`))
    .option('--param <key=value>', 'override a scenario parameter (repeatable)', paramPair)
    .option('--out <file>', 'write the results JSON here')
    .option('--svg <file>', 'write the plot here')
    .option('--artifacts-dir <dir>', 'where a finding\'s report and stress trace go (default runs/<timestamp>/)')
    .option('--no-artifacts', 'write no finding artifacts')
    .option('--json', 'print the results JSON on stdout (no status line)')
    .option('--compare <files...>', 'compare two results files: --compare A.json B.json')
    .option('--schema', 'print the JSON Schema of the results file')
    .action(async (id: string | undefined, o: StressCliOptions, cmd: Command) => { setCode(await stressCommand(io, id, o, givenOptions(cmd))); });
}

/** Refuse, before anything runs, an --out or --svg that cannot be written, one file for both, an
 *  artifact directory that cannot be made, or --artifacts-dir beside --no-artifacts. Returns
 *  where a finding's artifacts go, undefined for none. */
function checkOutputs(o: StressCliOptions): string | undefined {
  for (const [flag, path] of [['--out', o.out], ['--svg', o.svg]] as const) if (path !== undefined) checkWritable(flag, path);
  if (o.out !== undefined && o.svg !== undefined && resolve(o.out) === resolve(o.svg)) {
    throw new HarnessError('ERR_BAD_OPTION', `--svg ${o.svg}: the same file as --out (expected two files: results JSON and plot)`);
  }
  if (!o.artifacts) {
    if (o.artifactsDir === undefined) return undefined;
    throw new HarnessError('ERR_BAD_OPTION', `--artifacts-dir ${o.artifactsDir}: expected no --no-artifacts beside it (one names where artifacts go, the other writes none)`);
  }
  const dir = o.artifactsDir ?? defaultArtifactsDir();
  checkOutDir('--artifacts-dir', dir);
  return dir;
}

/** Refuse, beside --schema or --compare (which run nothing), a scenario or another option: it
 *  would be ignored. `given`: the long flags given on the command line. */
function checkMode(id: string | undefined, o: StressCliOptions, given: readonly string[]): void {
  const mode = o.schema === true ? '--schema' : o.compare !== undefined ? '--compare' : undefined;
  if (mode === undefined) return;
  const other = given.find((flag) => flag !== mode);
  if (other !== undefined) throw new HarnessError('ERR_BAD_OPTION', `${mode}: expected no other option (it runs nothing), got ${other}`);
  if (id !== undefined) throw new HarnessError('ERR_BAD_OPTION', `${mode}: expected no scenario (it runs nothing), got ${id}`);
}

/** Run the stress command against `io` (`given`: the long flags given on the command line); returns
 *  the exit code. */
export async function stressCommand(io: CliIo, id: string | undefined, o: StressCliOptions, given: readonly string[] = []): Promise<number> {
  checkMode(id, o, given);
  if (o.schema === true) { io.stdout.write(`${JSON.stringify(stressResultsJsonSchema(), null, 2)}\n`); return 0; }
  if (o.compare !== undefined) return compare(io, o.compare);
  if (id === undefined) throw new HarnessError('ERR_BAD_OPTION', `stress: expected a scenario (${stressRevoke.name}, a catalog id or a scenario file) or --compare A.json B.json`);
  const s = await stressScenario(id);
  const { params, pageBytes } = stressParams(s, o.param ?? {}, readKnobs(o));
  scenarioActors(s, params);
  const artifactsDir = checkOutputs(o);
  const interrupt = runInterrupt(io);
  const status = statusLine(io.stderr, o.json !== true, s.name);
  try {
    const outcome = await runStressCampaign({
      scenario: s, params, durationMs: o.duration, seed: o.seed, pageBytes, injectChance: o.injectDeadlk,
      ...(o.warmup === undefined ? {} : { warmupMs: o.warmup }), ...(o.trialTimeout === undefined ? {} : { stallMs: o.trialTimeout }),
      delayChance: o.delay, signal: interrupt.signal, onTick: (snap) => status.update(snap),
    });
    status.stop();
    const found = await writeFound(outcome, { scenario: s, params }, artifactsDir);
    const results = parseStressResults('results', buildStressResults(outcome, { scenario: s.name, scenarioRevision: s.revision ?? 1, params, pageBytes, seed: o.seed, durationMs: o.duration }, found));
    const outputs: [string, string, string][] = [];
    if (o.out !== undefined) outputs.push([o.out, `${JSON.stringify(results, null, 2)}\n`, 'results']);
    if (o.svg !== undefined) outputs.push([o.svg, renderStressSvg(results), 'plot']);
    writeAtomicAll(outputs.map(([path, data]) => [path, data] as const));
    const files = [...outputs.map(([path, , what]) => `${what}: ${path}`), ...found.flatMap(artifactLines)];
    io.stdout.write(o.json === true ? `${JSON.stringify(results, null, 2)}\n` : stressSummary(results, files));
    if (interrupt.signal.aborted) return 130;
    return results.findings.length > 0 ? 1 : 0;
  } finally {
    status.stop();
    interrupt.stop();
  }
}

/** The artifacts of run `outcome`'s findings, written under `dir` (none when undefined or the run
 *  found nothing): one entry per finding. */
async function writeFound(outcome: StressOutcome, s: Omit<StressArtifactInput, 'found'>, dir: string | undefined): Promise<StressRunArtifacts[]> {
  if (dir === undefined || outcome.found === undefined) return [];
  return writeStressArtifacts(dir, { ...s, found: outcome.found });
}

/** The summary's lines naming a finding's artifact files. */
function artifactLines(a: StressRunArtifacts): string[] {
  return [`report: ${a.reportFile}`, ...(a.stressTraceFile === undefined ? [] : [`stress trace: ${a.stressTraceFile}`])];
}

function compare(io: CliIo, files: readonly string[]): number {
  if (files.length !== 2) throw new HarnessError('ERR_BAD_OPTION', `--compare: expected two results files A.json B.json, got ${files.length}`);
  const [a, b] = files.map((f) => readStressResults(f));
  io.stdout.write(formatCompare(files[0]!, files[1]!, a!, b!));
  return 0;
}

/** stress-revoke, a catalog id, or the one scenario a file exports. */
async function stressScenario(id: string): Promise<AnyScenario> {
  if (id === stressRevoke.name) return stressRevoke;
  const entries = await resolveScenarios([id]);
  if (entries.length !== 1) throw new HarnessError('ERR_SCENARIO', `${id}: exports ${entries.length} scenarios; stress runs one (put it in a file of its own)`);
  return entries[0]!.scenario;
}
