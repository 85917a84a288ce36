/**
 * `npm run bench`: the core's DESIGN §8 figures, each as a ratio to its limit measured in the
 * same run (the machines are noisy: absolute times are context, ratios are the result), each
 * judged against its target; then the trials-to-first-finding table (first_finding.ts) and the
 * stress scaling table (scaling.ts, with shorter cells than its own default). The report opens
 * with the command, commit, machine and a host copy probe (report_header.ts).
 *
 * `node dist/bench/run.js [--write FILE]` prints the report as it goes; with `--write` it also
 * puts it between the bench markers of FILE (report_file.ts; `npm run bench` writes
 * docs/BENCHMARKS.md). A bad option or target is one line on stderr and exit 2, before anything
 * is measured.
 */
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { canPin } from '../src/exec/affinity.js';
import {
  CANONICAL_100_STEPS, COPY_BENCH, bestControlledHandoffs, bestOfInProcessCopies, canonicalTrials, handoffRatio, stressCopyBandwidth, inlineModelYields, rawGeneratorSwitch,
  trialResetMs,
} from './measure.js';
import { fmtBytes } from '../src/campaign/stress_format.js';
import { bestOfRun } from './copy_limit.js';
import { probeCopies, summarizeProbes } from './copy_probe.js';
import { firstFindingReport } from './first_finding.js';
import { benchMain } from './main.js';
import { lockRatesInWorker } from './locks.js';
import { readReportTarget, writeReport } from './report_file.js';
import { commitOf, reportHeader } from './report_header.js';
import { SCALING_DEFAULTS, scalingReport } from './scaling.js';
import { atLeast, atMost, limitRow, renderRows, type SuiteRow } from './suite_rows.js';

const fmt = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(3));
/** Seconds per scaling cell here (16 cells; `node dist/bench/scaling.js` defaults to 4 s). */
const SCALING_BENCH_SECONDS = 2;
/** Seconds of host copy probes before and after each page size's scaling cells here. */
const SCALING_BENCH_PROBE_SECONDS = 2;
/** Seconds of the host copy probe that opens the report (64 KiB pages). */
const OPENING_PROBE_SECONDS = 3;
/** The opening probe's page size: the 64 KiB copy row's, whose limit it counts towards. */
const OPENING_PROBE_PAGE = 64 * 1024;
/** Scheduling points per actor in a spin-handoff trial: 200,000 handoffs a trial (~25 ms), so the
 *  per-trial set-up (~0.4 ms, its own row below) weighs on the per-handoff figure by ~1 %. */
const HANDOFF_YIELDS = 100_000;
/** The package root: this file is dist/bench/run.js. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The controlled-handoff rows: 2 spinning threads, then 4 sleeping ones on fewer cores. With no
 * more threads than CPUs, both sides run pinned one thread per CPU when this machine allows it
 * (affinity.ts), so the ratio does not hang on whether the OS put two spinners on one CPU.
 */
async function handoffRows(): Promise<SuiteRow[]> {
  const rows: SuiteRow[] = [];
  for (const [actors, spin] of [[2, true], [4, false]] as const) {
    const pin = actors <= availableParallelism() && canPin();
    const run = { actors, spin, yields: spin ? HANDOFF_YIELDS : 2_000, rounds: spin ? 2_000_000 : 20_000, place: { pin } };
    const { controlled, raw } = await handoffRatio(run);
    const where = `${actors} threads, ${spin ? 'spin' : 'sleep'}${pin ? ', pinned' : ''}`;
    rows.push(limitRow(`controlled handoffs/s (${where})`, fmt(controlled), `raw turn token ${fmt(raw)}/s`, controlled / raw, 0.5));
    if (!spin) continue;
    const call = await bestControlledHandoffs({ ...run, modelCall: true });
    rows.push(limitRow('… the same with a cond_resched model call per step', fmt(call), `raw turn token ${fmt(raw)}/s`, call / raw));
  }
  return rows;
}

async function lockRows(): Promise<SuiteRow[]> {
  const locks = await lockRatesInWorker();
  const limit = `raw Atomics mutex ${fmt(locks.raw)}/s`;
  return [
    limitRow('stress resv lock+unlock/s, uncontended (NULL ctx, stress actor loop)', fmt(locks.model), limit, locks.model / locks.raw, 0.5),
    limitRow('… the same lock path resumed by a bare loop', fmt(locks.path), limit, locks.path / locks.raw),
    limitRow('… a generator lock with no model work (one yield, then the raw CAS)', fmt(locks.generator), limit, locks.generator / locks.raw),
  ];
}

/** The canonical scenario at DESIGN's ~100 steps (the target), then at the catalog's defaults. */
async function canonicalRows(): Promise<SuiteRow[]> {
  const rows: SuiteRow[] = [];
  const sized = Object.entries(CANONICAL_100_STEPS).map(([k, v]) => `${k} ${String(v)}`).join(', ');
  for (const kind of ['inline', 'controlled'] as const) {
    const c = await canonicalTrials(kind, 3, CANONICAL_100_STEPS);
    const least = kind === 'inline' ? 5000 : 300;
    rows.push({ figure: `canonical revoke scenario, ${kind} (1 exporter, 2 importers, 1 engine; ${sized}: ${c.steps.toFixed(0)} steps)`, measured: `${c.perSec.toFixed(0)} trials/s`, target: atLeast(c.perSec, least, `≥ ${least.toLocaleString('en-US')} trials/s`) });
  }
  for (const kind of ['inline', 'controlled'] as const) {
    const c = await canonicalTrials(kind, 2);
    rows.push({ figure: `… ${kind}, the catalog's revoke-wait-bookkeep as it is (${c.steps.toFixed(0)} steps)`, measured: `${c.perSec.toFixed(0)} trials/s` });
  }
  return rows;
}

/** The stress copy rows; `probeBest` is the opening host probe's best, at OPENING_PROBE_PAGE in
 *  the same pattern, which counts towards that size's limit. */
async function copyRows(probeBest: number): Promise<SuiteRow[]> {
  const rows: SuiteRow[] = [];
  for (const block of [64 * 1024, 1024 * 1024]) {
    const blocks = block >= 1 << 20 ? 1000 : 10_000;
    const before = bestOfInProcessCopies(3, block, blocks);
    const engine = await stressCopyBandwidth(block);
    const after = bestOfInProcessCopies(3, block, blocks);
    const best = bestOfRun([before, after], block === OPENING_PROBE_PAGE ? [probeBest] : []);
    const how = COPY_BENCH.burst > 0 ? `burst ${COPY_BENCH.burst}` : 'one scheduling point a job';
    rows.push(limitRow(`stress DMA copy per engine, ${block / 1024} KiB blocks (${how}, reap ${COPY_BENCH.reap})`, `${(engine / 1e9).toFixed(2)} GB/s`,
      `best in-process copy ${(best.bytesPerSec / 1e9).toFixed(2)} GB/s (${best.method})`, engine / best.bytesPerSec, 0.9));
  }
  return rows;
}

/** The DESIGN §8 table. */
async function designRows(probeBest: number): Promise<SuiteRow[]> {
  const raw = rawGeneratorSwitch(4, 5_000_000);
  const model = inlineModelYields(2);
  const reset = trialResetMs(20_000);
  return [
    { ...limitRow('inline yield points/s (ww stress model, 4 actors)', fmt(model), `raw generator switch ${fmt(raw)}/s`, model / raw), target: atLeast(model, 1e6, '≥ 1 M/s') },
    ...await handoffRows(), ...await lockRows(), ...await canonicalRows(), ...await copyRows(probeBest),
    { ...limitRow('trial reset + boot + setup (3 actors)', `${reset.toFixed(4)} ms`, '1 ms budget', reset), target: atMost(reset, 1, '≤ 1 ms') },
  ];
}

/** Run the suite, printing each part as it is ready; the whole report (`target`: where it goes). */
async function runSuite(command: string, target: string | undefined): Promise<string> {
  const parts: string[] = [];
  const emit = (s: string): void => { console.log(s); parts.push(s); };
  const started = new Date();
  const summary = summarizeProbes(probeCopies(OPENING_PROBE_PAGE, OPENING_PROBE_SECONDS));
  emit(reportHeader({ command, started, commit: commitOf(ROOT, target), probe: { summary, what: `${OPENING_PROBE_SECONDS} s of ${fmtBytes(OPENING_PROBE_PAGE)} copy probes` } }));
  emit(`\n${renderRows(await designRows(summary.best))}`);
  emit(`\n### Trials to first finding (default campaign)\n\n${await firstFindingReport()}`);
  emit(`\n### Scaling: importers × engines (stress, ${SCALING_BENCH_SECONDS} s cells)\n\n${await scalingReport({ ...SCALING_DEFAULTS, seconds: SCALING_BENCH_SECONDS, probeSeconds: SCALING_BENCH_PROBE_SECONDS })}`);
  emit(`\nThe whole run took ${((Date.now() - started.getTime()) / 60_000).toFixed(1)} min.`);
  return parts.join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...argv], options: { write: { type: 'string' } } });
  const target = values.write;
  if (target !== undefined) readReportTarget(target);
  const command = `node ${relative(process.cwd(), fileURLToPath(import.meta.url)) || 'run.js'}${target === undefined ? '' : ` --write ${target}`}`;
  const report = await runSuite(command, target);
  if (target === undefined) return;
  writeReport(target, report);
  console.log(`\nwrote ${target}`);
}

await benchMain('bench', () => main(process.argv.slice(2)));
