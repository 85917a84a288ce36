/**
 * The stress scaling table (issue 5): importers 1, 2, 4, 8 × engines 1, 2 of `stress-revoke` (the
 * canonical revoke scenario made free-running, scenarios/stress-revoke.ts), each cell a run of the
 * same campaign `dmabuf-harness stress stress-revoke --importers N --engines M --buffer-size S
 * --duration T` makes (campaign/stress_run.ts; knobs mapped by cli/stress_knobs.ts). A cell
 * reports revoke latency p50 / p99 / max and DMA throughput per engine as a ratio to the copy
 * limit: the best single-thread in-process copy of the same block size in the engine's pattern
 * (one buffer written into each page of a job in turn, or with `--param usage=read`, whose jobs
 * read, each page into one buffer; bench/measure.ts), the best of several
 * measurements made in the same run just before and after that page size's cells. The buffer is
 * the scenario's 64 pages and a job copies SCALING_JOB_BYTES (4 MiB: 64 pages of 64 KiB, 4 of
 * 1 MiB), so every column moves the same bytes per job; and the importers of one engine map the
 * same job's pages (`window=engine`), so each engine copies over the limit's working set
 * whatever the importers (two engines get different pages where the buffer holds two jobs: at
 * 1 MiB pages, not at 64 KiB): with the scenario's default spread windows an engine's working
 * set grows with its importers past the caches (docs/BENCHMARKS.md).
 *
 * With `--runs R` every cell runs R times, in R passes over the table (so a stretch of host noise
 * lands on different cells in each pass), and the table shows each cell's median run (by its
 * engines' mean rate) beside every run's ratio: on a VM one run of a cell can be off by 20 points.
 *
 * `node dist/bench/scaling.js [--seconds N] [--runs R] [--pages 64K,1M] [--revoke-every 10ms]
 * [--delay 0] [--probe-seconds 5] [--param key=value]...` prints the Markdown section body, with
 * what copy probes before and after each page size's cells saw of the host (copy_probe.ts). A
 * cell with more engines than importers cannot run (stress-revoke gives engine j the importers
 * i ≡ j mod M) and is shown as `—`.
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildStressResults } from '../src/campaign/stress_results.js';
import { cpuShare, jobTime, wakingShare, type JobTime } from '../src/campaign/stress_shares.js';
import { runStressCampaign } from '../src/campaign/stress_run.js';
import { fmtBytes, fmtNs, fmtRate, fmtShare } from '../src/campaign/stress_format.js';
import type { Params } from '../src/exec/scenario.js';
import { periodMs, probability, stressParams } from '../src/cli/stress_knobs.js';
import { paramPair } from '../src/cli/options.js';
import { STRESS_MAX_PAGES, stressRevoke } from '../scenarios/stress-revoke.js';
import { SCALING_JOB_BYTES, bestOfRun, copyLimit, jobDirection, scalingJobPages, type CopyLimit } from './copy_limit.js';
import { probeBrief, probeCopies, summarizeProbes, type ProbeSummary } from './copy_probe.js';
import { benchMain } from './main.js';
import { countArg, pageArg, secondsArg } from './args.js';

export const SCALING_COMMAND = 'npm run build && node dist/bench/scaling.js';

/** Importer windows in every cell (stress-revoke's `window`; `--param window=…` overrides). */
export const SCALING_WINDOW = 'engine';

/** How the copy limit copies, in words, for each job direction. */
const LIMIT_PATTERN = {
  write: `of one page into each page of a ${SCALING_JOB_BYTES >> 20} MiB job in turn`,
  read: `of each page of a ${SCALING_JOB_BYTES >> 20} MiB job in turn into one page, as read jobs copy`,
} as const;

export interface ScalingOptions {
  /** Duration of each cell's campaign (after its warm-up trials), seconds. */
  readonly seconds: number;
  /** Runs of every cell; the table shows the median one. */
  readonly runs: number;
  /** Device-memory page sizes (bytes); the buffer is STRESS_MAX_PAGES of them. */
  readonly pageSizes: readonly number[];
  readonly importers: readonly number[];
  readonly engines: readonly number[];
  /** The exporter's revoke period (`--revoke-every`, ms). */
  readonly revokeEveryMs: number;
  /** Probability of a seeded random delay at a yield (`--delay`): 0 times the model undisturbed. */
  readonly delay: number;
  /** Extra scenario parameters (`--param`), the same for every cell. */
  readonly params: Params;
  /** Seconds of copy probes (copy_probe.ts) before and after each page size's cells, showing
   *  whether the host slowed copies meanwhile (`--probe-seconds`; 0: none). */
  readonly probeSeconds: number;
}

export const SCALING_DEFAULTS: ScalingOptions = {
  seconds: 4, runs: 1, pageSizes: [64 << 10, 1 << 20], importers: [1, 2, 4, 8], engines: [1, 2], revokeEveryMs: 10, delay: 0, params: {}, probeSeconds: 5,
};

/** One cell's measurements (from the run's results document). */
export interface CellRun {
  readonly trials: number;
  readonly revokes: number;
  readonly p50Ns: number;
  readonly p99Ns: number;
  readonly maxNs: number;
  /** DMA bytes per second of engine0, engine1, ... (0 for an engine that moved nothing). */
  readonly perEngine: readonly number[];
  /** Per engine: the share of the run's wall time its thread ran on a CPU, and the share it was
   *  runnable but waited for one, 0..1 (null: the OS does not report them). */
  readonly onCpu: readonly (number | null)[];
  readonly waitingCpu: readonly (number | null)[];
  /** Per engine: the share of the run's wall time it spent in wake calls (waking sleeping
   *  importers when it signalled their fences), 0..1. */
  readonly waking: readonly number[];
  /** The engines' time in a DMA job and their rate while in one (all engines together; null: no
   *  job ran). */
  readonly inJob: JobTime | null;
  readonly end: string;
  readonly findings: readonly string[];
}

export interface ScalingCell {
  readonly pageBytes: number;
  readonly importers: number;
  readonly engines: number;
  /** null: the cell cannot run (more engines than importers). With several runs, the median. */
  readonly run: CellRun | null;
  /** Every run's mean DMA rate per engine (bytes/s), in run order. */
  readonly runRates: readonly number[];
}

export interface ScalingTable {
  readonly cells: readonly ScalingCell[];
  /** Per page size (bytes → limit). */
  readonly limits: ReadonlyMap<number, CopyLimit>;
  /** Per page size: the copy probes before its cells and after them (empty: none run). */
  readonly probes: ReadonlyMap<number, readonly ProbeSummary[]>;
  readonly seconds: number;
}

/** Run one cell: the stress campaign of stress-revoke with these knobs, for `o.seconds`. */
export async function runCell(pageBytes: number, importers: number, engines: number, o: ScalingOptions): Promise<ScalingCell> {
  if (engines > importers) return { pageBytes, importers, engines, run: null, runRates: [] };
  const jobPages = scalingJobPages(pageBytes);
  const knobs = { importers, engines, bufferSize: pageBytes * STRESS_MAX_PAGES, jobSize: pageBytes * jobPages, revokeEvery: o.revokeEveryMs };
  const { params, pageBytes: pb } = stressParams(stressRevoke, { burst: jobPages, window: SCALING_WINDOW, ...o.params }, knobs);
  const durationMs = Math.round(o.seconds * 1000);
  const outcome = await runStressCampaign({ scenario: stressRevoke, params, durationMs, seed: 1, pageBytes: pb, delayChance: o.delay });
  const r = buildStressResults(outcome, { scenario: stressRevoke.name, scenarioRevision: stressRevoke.revision ?? 1, params, pageBytes: pb, seed: 1, durationMs });
  const revoke = r.operations.revoke!;
  const names = Array.from({ length: engines }, (_, j) => `engine${j}`);
  const perEngine = names.map((n) => r.dma.engines.find((e) => e.actor === n)?.bytesPerSec ?? 0);
  const onCpu = names.map((n) => cpuShare(r, n, 'cpuMs'));
  const waitingCpu = names.map((n) => cpuShare(r, n, 'runqMs'));
  const waking = names.map((n) => wakingShare(r, n));
  return {
    pageBytes, importers, engines,
    run: {
      trials: r.trials, revokes: revoke.count, p50Ns: revoke.p50Ns, p99Ns: revoke.p99Ns, maxNs: revoke.maxNs,
      perEngine, onCpu, waitingCpu, waking, inJob: jobTime(r), end: r.end, findings: r.findings.map((f) => f.title),
    },
    runRates: [meanRate(perEngine)],
  };
}

const meanRate = (perEngine: readonly number[]): number => perEngine.reduce((x, y) => x + y, 0) / perEngine.length;

/**
 * One cell from its runs (same page size, importers, engines; runCell results in run order): the
 * median run by mean rate per engine (the lower middle one for an even count), and every run's
 * rate. A run with a finding or that did not end `done` sorts first, so it shows unless most runs
 * were clean.
 */
export function medianCell(runs: readonly ScalingCell[]): ScalingCell {
  const first = runs[0]!;
  const done = runs.filter((c): c is ScalingCell & { run: CellRun } => c.run !== null);
  if (done.length === 0) return first;
  const key = (r: CellRun): number => (r.findings.length > 0 || r.end !== 'done' ? -1 : meanRate(r.perEngine));
  const sorted = [...done].sort((x, y) => key(x.run) - key(y.run));
  return { ...first, run: sorted[Math.floor((sorted.length - 1) / 2)]!.run, runRates: runs.flatMap((c) => c.runRates) };
}

/**
 * Every cell, page size by page size, in `o.runs` passes over that page size's cells; each page
 * size's limit measured before and after its passes.
 */
export async function scalingTable(o: ScalingOptions = SCALING_DEFAULTS): Promise<ScalingTable> {
  const cells: ScalingCell[] = [];
  const limits = new Map<number, CopyLimit>();
  const probes = new Map<number, ProbeSummary[]>();
  const probe = (pageBytes: number): ProbeSummary[] => (o.probeSeconds > 0 ? [summarizeProbes(probeCopies(pageBytes, o.probeSeconds))] : []);
  const direction = jobDirection(o.params);
  for (const pageBytes of o.pageSizes) {
    const probedBefore = probe(pageBytes);
    const before = copyLimit(pageBytes, 3, direction);
    const shape = o.engines.flatMap((engines) => o.importers.map((importers) => ({ importers, engines })));
    const runs: ScalingCell[][] = shape.map(() => []);
    for (let pass = 0; pass < o.runs; pass++) {
      for (const [i, c] of shape.entries()) runs[i]!.push(await runCell(pageBytes, c.importers, c.engines, o));
    }
    cells.push(...runs.map(medianCell));
    const after = copyLimit(pageBytes, 3, direction);
    const probed = [...probedBefore, ...probe(pageBytes)];
    limits.set(pageBytes, bestOfRun([before, after], probesCount(o) ? probed.map((p) => p.best) : []));
    probes.set(pageBytes, probed);
  }
  return { cells, limits, probes, seconds: o.seconds };
}

const pct = (x: number): string => `${Math.round(100 * x)} %`;

/** One Markdown row; a cell that could not run shows `—`. */
function row(c: ScalingCell, limit: CopyLimit): string {
  const head = `| ${fmtBytes(c.pageBytes)} | ${c.importers} | ${c.engines} |`;
  if (c.run === null) return `${head}${' — |'.repeat(14)}`;
  const r = c.run;
  const rates = r.perEngine.map((b) => fmtRate(b)).join(' / ');
  const ratios = r.perEngine.map((b) => pct(b / limit.bytesPerSec)).join(' / ');
  const share = (xs: readonly (number | null)[]): string => xs.map((x) => (x === null ? '—' : fmtShare(x))).join(' / ');
  const perCpu = r.perEngine.map((b, j) => {
    const on = r.onCpu[j] ?? null;
    return on === null || on <= 0 ? '—' : pct(b / on / limit.bytesPerSec);
  }).join(' / ');
  const inJob = r.inJob === null ? '— | —' : `${fmtShare(r.inJob.share)} | ${pct(r.inJob.bytesPerSec / limit.bytesPerSec)}`;
  const note = r.findings.length > 0 ? ` (finding: ${r.findings.join(', ')})` : r.end === 'done' ? '' : ` (${r.end})`;
  const each = c.runRates.map((b) => Math.round(100 * b / limit.bytesPerSec)).join(', ');
  return `${head} ${r.trials} | ${r.revokes} | ${fmtNs(r.p50Ns)} | ${fmtNs(r.p99Ns)} | ${fmtNs(r.maxNs)} | ${rates} | ${ratios}${note} | ${inJob} | ${share(r.onCpu)} | ${share(r.waitingCpu)} | ${share(r.waking)} | ${perCpu} | ${each} |`;
}

/** The Markdown table: one row per cell, page size by page size. */
export function renderScalingTable(t: ScalingTable): string {
  const lines = [
    '| page | importers | engines | trials | revokes | revoke p50 | revoke p99 | revoke max | DMA per engine | per engine ÷ copy limit | engine in a job | in-job rate ÷ copy limit | engine on a CPU | engine waiting for a CPU | engine waking | per CPU-second ÷ copy limit | every run, % |',
    `| --- |${' ---: |'.repeat(16)}`,
  ];
  for (const c of t.cells) lines.push(row(c, t.limits.get(c.pageBytes)!));
  return lines.join('\n');
}

/** The section body: what was run, the copy limits, then the table. */
export async function scalingReport(o: ScalingOptions = SCALING_DEFAULTS): Promise<string> {
  const t0 = performance.now();
  const t = await scalingTable(o);
  const took = (performance.now() - t0) / 1000;
  const flags = (ps: Params): string => Object.entries(ps).map(([k, v]) => ` --param ${k}=${String(v)}`).join('');
  const extra = flags(o.params);
  const pages = o.pageSizes.join() === SCALING_DEFAULTS.pageSizes.join() ? '' : ` --pages ${o.pageSizes.map((pb) => `${pb / 1024}K`).join(',')}`;
  const limits = [...t.limits].map(([pb, l]) => `${fmtBytes(pb)} pages ${fmtRate(l.bytesPerSec)} (${l.method})`).join('; ');
  const knobs = ` --revoke-every ${o.revokeEveryMs}ms --delay ${o.delay}`;
  const probing = o.probeSeconds === SCALING_DEFAULTS.probeSeconds ? '' : ` --probe-seconds ${o.probeSeconds}`;
  return [
    `Command: \`${SCALING_COMMAND} --seconds ${o.seconds}${o.runs > 1 ? ` --runs ${o.runs}` : ''}${pages}${knobs}${probing}${extra}\` — ${new Date().toISOString().slice(0, 10)}, cores: ${availableParallelism()}, node ${process.version};`
    + ` whole run ${took.toFixed(0)} s. Each cell is \`dmabuf-harness stress stress-revoke --importers N --engines M`
    + ` --buffer-size ${STRESS_MAX_PAGES}×page --job-size ${SCALING_JOB_BYTES >> 20}M --duration ${o.seconds}s${knobs} --param burst=<job pages>${flags({ window: SCALING_WINDOW, ...o.params })}\``
    + ' (one engine scheduling point per job; other knobs at their defaults).',
    'Engine in a job: the share of wall time the engines spent inside a DMA job (job time summed over the engines ÷ engines'
    + ' × the run); in-job rate ÷ copy limit: the bytes they moved per second of job time ÷ the copy limit, the copy path with its'
    + ' page checks and scheduling point. Their product is per engine ÷ copy limit: the rest of the time went between jobs.'
    + ' Engine on a CPU / waiting for a CPU: the shares of wall time the engine thread ran, and was runnable but waited for a'
    + ' CPU the other threads held (Linux schedstat); engine waking: the share it spent in wake calls, waking importers asleep'
    + ' on the fences it signalled (part of its time on a CPU); per CPU-second ÷ copy limit is DMA per engine ÷ on a CPU ÷ the'
    + ' copy limit: the engine\'s copy path with its idle time and the time other threads held its CPU taken out.'
    + (o.runs > 1 ? ` Each cell ran ${o.runs} times, in ${o.runs} passes over the table; shown is its median run (by the engines' mean rate), and every run's mean rate per engine ÷ copy limit in the last column.` : ''),
    `Copy limit (best single-thread in-process copy ${LIMIT_PATTERN[jobDirection(o.params)]}, best of 6${probesCount(o) ? ' and of the host probes' : ''}): ${limits}.`,
    ...hostLines(t, o.probeSeconds),
    '',
    renderScalingTable(t),
  ].join('\n');
}

/** Whether the host probes, which copy in the write pattern, count towards the copy limit. */
function probesCount(o: ScalingOptions): boolean {
  return o.probeSeconds > 0 && jobDirection(o.params) === 'write';
}

/** What the copy probes before and after each page size's cells saw (none when not run): a host
 *  that slowed copies meanwhile slowed the cells too. */
export function hostLines(t: ScalingTable, probeSeconds: number): string[] {
  const each = [...t.probes].filter(([, ps]) => ps.length === 2).map(([pb, [before, after]]) =>
    `${fmtBytes(pb)} pages before the cells: ${probeBrief(before!)}; after them: ${probeBrief(after!)}.`);
  if (each.length === 0) return [];
  return [`Host (\`node dist/bench/copy_probe.js\`, ${probeSeconds} s of ~0.1 s copy probes before and after each page size's cells): ${each.join(' ')}`];
}

/** Command-line options of `node dist/bench/scaling.js`. */
export function scalingOptions(argv: readonly string[]): ScalingOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      seconds: { type: 'string' }, runs: { type: 'string' }, pages: { type: 'string' }, 'revoke-every': { type: 'string' }, delay: { type: 'string' },
      param: { type: 'string', multiple: true }, 'probe-seconds': { type: 'string' },
    },
  });
  const seconds = secondsArg('--seconds', values.seconds, SCALING_DEFAULTS.seconds);
  const runs = countArg('--runs', values.runs, SCALING_DEFAULTS.runs);
  const pageSizes = values.pages === undefined ? SCALING_DEFAULTS.pageSizes : values.pages.split(',').map((v) => pageArg('--pages', v, 0));
  let params: Params = {};
  for (const kv of values.param ?? []) params = paramPair(kv, params);
  const revokeEveryMs = values['revoke-every'] === undefined ? SCALING_DEFAULTS.revokeEveryMs : periodMs(values['revoke-every']);
  const delay = values.delay === undefined ? SCALING_DEFAULTS.delay : probability(values.delay);
  const probeSeconds = secondsArg('--probe-seconds', values['probe-seconds'], SCALING_DEFAULTS.probeSeconds, true);
  return { ...SCALING_DEFAULTS, seconds, runs, pageSizes, revokeEveryMs, delay, params, probeSeconds };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) await benchMain('scaling', async () => { console.log(await scalingReport(scalingOptions(process.argv.slice(2)))); });
