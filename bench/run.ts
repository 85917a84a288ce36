/**
 * `npm run bench`: the core's DESIGN §8 figures, each as a ratio to its limit measured in the
 * same run (the machines are noisy: absolute times are context, ratios are the result). Prints a
 * Markdown table for docs/BENCHMARKS.md, then the trials-to-first-finding table (first_finding.ts)
 * and the stress scaling table (scaling.ts, with shorter cells than its own default).
 */
import { availableParallelism } from 'node:os';
import { canPin } from '../src/exec/affinity.js';
import {
  COPY_BENCH, bestControlledHandoffs, bestOfInProcessCopies, canonicalTrials, handoffRatio, stressCopyBandwidth, inlineModelYields, rawGeneratorSwitch,
  trialResetMs,
} from './measure.js';
import { firstFindingReport } from './first_finding.js';
import { lockRatesInWorker } from './locks.js';
import { SCALING_DEFAULTS, scalingReport } from './scaling.js';

const fmt = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(3));
const pct = (x: number): string => `${(100 * x).toFixed(0)} %`;
/** Seconds per scaling cell here (16 cells; `node dist/bench/scaling.js` defaults to 4 s). */
const SCALING_BENCH_SECONDS = 2;
/** Seconds of host copy probes before and after each page size's scaling cells here. */
const SCALING_BENCH_PROBE_SECONDS = 2;
/** Scheduling points per actor in a spin-handoff trial: 200,000 handoffs a trial (~25 ms), so the
 *  per-trial set-up (~0.4 ms, its own row below) weighs on the per-handoff figure by ~1 %. */
const HANDOFF_YIELDS = 100_000;

/**
 * The controlled-handoff rows: 2 spinning threads, then 4 sleeping ones on fewer cores. With no
 * more threads than CPUs, both sides run pinned one thread per CPU when this machine allows it
 * (affinity.ts), so the ratio does not hang on whether the OS put two spinners on one CPU.
 */
async function handoffRows(): Promise<string[][]> {
  const rows: string[][] = [];
  for (const [actors, spin] of [[2, true], [4, false]] as const) {
    const pin = actors <= availableParallelism() && canPin();
    const run = { actors, spin, yields: spin ? HANDOFF_YIELDS : 2_000, rounds: spin ? 2_000_000 : 20_000, place: { pin } };
    const { controlled, raw } = await handoffRatio(run);
    const where = `${actors} threads, ${spin ? 'spin' : 'sleep'}${pin ? ', pinned' : ''}`;
    rows.push([`controlled handoffs/s (${where})`, fmt(controlled), `raw turn token ${fmt(raw)}/s`, pct(controlled / raw), '≥ 50 %']);
    if (!spin) continue;
    const call = await bestControlledHandoffs({ ...run, modelCall: true });
    rows.push([`… the same with a cond_resched model call per step`, fmt(call), `raw turn token ${fmt(raw)}/s`, pct(call / raw), 'context']);
  }
  return rows;
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  const raw = rawGeneratorSwitch(4, 5_000_000);
  const model = inlineModelYields(2);
  rows.push(['inline yield points/s (ww stress model, 4 actors)', fmt(model), `raw generator switch ${fmt(raw)}/s`, pct(model / raw), '≥ 1 M/s']);
  rows.push(...await handoffRows());
  const locks = await lockRatesInWorker();
  const rawLock = `raw Atomics mutex ${fmt(locks.raw)}/s`;
  rows.push(['stress resv lock+unlock/s, uncontended (NULL ctx, stress actor loop)', fmt(locks.model), rawLock, pct(locks.model / locks.raw), '≥ 50 %']);
  rows.push(['… the same lock path resumed by a bare loop', fmt(locks.path), rawLock, pct(locks.path / locks.raw), 'context']);
  rows.push(['… a generator lock with no model work (one yield, then the raw CAS)', fmt(locks.generator), rawLock, pct(locks.generator / locks.raw), 'context']);
  for (const kind of ['inline', 'controlled'] as const) {
    const c = await canonicalTrials(kind, 3);
    rows.push([`canonical revoke scenario, ${kind} (1 exporter, 2 importers, 1 engine; ${c.steps.toFixed(0)} steps)`, `${c.perSec.toFixed(0)} trials/s`, '—', '—', kind === 'inline' ? '≥ 5,000 trials/s' : '≥ 300 trials/s']);
  }
  for (const block of [64 * 1024, 1024 * 1024]) {
    const blocks = block >= 1 << 20 ? 1000 : 10_000;
    const before = bestOfInProcessCopies(3, block, blocks);
    const engine = await stressCopyBandwidth(block);
    const after = bestOfInProcessCopies(3, block, blocks);
    const best = after.bytesPerSec > before.bytesPerSec ? after : before;
    rows.push([`stress DMA copy per engine, ${block / 1024} KiB blocks (${COPY_BENCH.burst > 0 ? `burst ${COPY_BENCH.burst}` : 'one scheduling point a job'}, reap ${COPY_BENCH.reap})`, `${(engine / 1e9).toFixed(2)} GB/s`,
      `best in-process copy ${(best.bytesPerSec / 1e9).toFixed(2)} GB/s (${best.method})`, pct(engine / best.bytesPerSec), '≥ 90 %']);
  }
  const reset = trialResetMs(20_000);
  rows.push(['trial reset + boot + setup (3 actors)', `${reset.toFixed(4)} ms`, '1 ms budget', pct(reset / 1), '≤ 1 ms']);
  console.log(`cores: ${availableParallelism()}, node ${process.version}\n`);
  console.log('| figure | measured | limit (same run) | ratio | target |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\n## Trials to first finding (default campaign)\n\n${await firstFindingReport()}`);
  console.log(`\n## Scaling: importers × engines (stress)\n\n${await scalingReport({ ...SCALING_DEFAULTS, seconds: SCALING_BENCH_SECONDS, probeSeconds: SCALING_BENCH_PROBE_SECONDS })}`);
}

await main();
