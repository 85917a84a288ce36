/**
 * `npm run bench:memory` (node dist/bench/memory.js [--minutes N] [--warmup-s S] [--window-s W]
 * [--slice-ms T] [--sample-s P] [--limit-pct L] [--reuse] [--snapshots DIR]): DESIGN §8 "a
 * campaign's resident set stays flat across trials". Runs an inline campaign over the whole catalog for N minutes — round after round, each
 * scenario hunted with `keepGoing` for a slice of T ms with a fresh seed per round, exactly as
 * `hunt --keep-going` would (fresh executors and arenas per scenario) — and samples
 * `process.memoryUsage()` every P seconds (default 5). Reports the RSS after warm-up (median over
 * the W s after the first S s; defaults 60 and 60), the final RSS (median over the last W s), the
 * maximum, and the growth of final over after-warm-up; exits 1 when it exceeds L % (default 10),
 * 2 when the run is too short for a verdict. With --reuse, each scenario's trial runner
 * (its executors and arenas) is created once and reused by every round, which separates growth
 * per trial from growth per executor created; it is a diagnostic, not the acceptance run.
 * With --snapshots, writes a V8 heap snapshot after warm-up and at the end (compare them in
 * DevTools' Memory tab, "Comparison" view); writing one forces a full GC and takes ~100 MiB of
 * malloc memory, so the RSS verdict of such a run means nothing. On Linux each sample also reads the resident size of
 * the malloc heap (the `[heap]` mapping of /proc/self/smaps), where ArrayBuffer and
 * SharedArrayBuffer backing stores live unless malloc maps them on their own.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { HarnessError } from '../src/errno/errors.js';
import { hunt } from '../src/campaign/hunt.js';
import { portfolioFor } from '../src/campaign/portfolio.js';
import { createRunner, type TrialRunner } from '../src/campaign/runner.js';
import { CATALOG } from '../scenarios/index.js';
import { positiveArg } from './args.js';
import { benchMain } from './main.js';

interface Options { minutes: number; warmupS: number; sliceMs: number; sampleS: number; snapshots?: string | undefined; limitPct: number; reuse: boolean; windowS: number }

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { minutes: 10, warmupS: 60, sliceMs: 2000, sampleS: 5, limitPct: 10, reuse: false, windowS: 60 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    const num = (): number => {
      i++;
      return positiveArg(a, v ?? '', 0);
    };
    if (a === '--minutes') o.minutes = num();
    else if (a === '--warmup-s') o.warmupS = num();
    else if (a === '--slice-ms') o.sliceMs = num();
    else if (a === '--sample-s') o.sampleS = num();
    else if (a === '--limit-pct') o.limitPct = num();
    else if (a === '--window-s') o.windowS = num();
    else if (a === '--reuse') o.reuse = true;
    else if (a === '--snapshots') { if (v === undefined) throw new HarnessError('ERR_BAD_OPTION', '--snapshots: expected a directory'); o.snapshots = v; i++; }
    else throw new HarnessError('ERR_BAD_OPTION', `unknown option ${JSON.stringify(a)}`);
  }
  return checkVerdictPossible(o);
}

/** Refuse, before the run, options under which it cannot reach a verdict: a run shorter than the
 *  warm-up and two windows, or samples further apart than a window (an empty window's median). */
function checkVerdictPossible(o: Options): Options {
  const needS = o.warmupS + 2 * o.windowS;
  if (o.minutes * 60 < needS) {
    throw new HarnessError('ERR_BAD_OPTION', `--minutes: expected at least ${needS / 60} (--warmup-s ${o.warmupS} plus two --window-s ${o.windowS} windows), got ${o.minutes}`);
  }
  if (o.sampleS > o.windowS / 2) throw new HarnessError('ERR_BAD_OPTION', `--sample-s: expected at most half of --window-s (${o.windowS / 2}), got ${o.sampleS}`);
  return o;
}

interface Sample {
  readonly t: number; readonly rss: number; readonly heapUsed: number; readonly external: number; readonly arrayBuffers: number;
  /** Resident bytes of the malloc (brk) heap, or -1 where /proc/self/smaps is not available. */
  readonly mallocHeap: number;
  readonly trials: number;
}

/** Resident size of the `[heap]` mapping (Linux), -1 elsewhere. */
function mallocHeapRss(): number {
  try {
    const smaps = readFileSync('/proc/self/smaps', 'utf8');
    const at = smaps.indexOf('[heap]\n');
    if (at < 0) return 0;
    const m = /\nRss:\s+(\d+) kB/.exec(smaps.slice(at));
    return m === null ? -1 : Number(m[1]) * 1024;
  } catch {
    return -1;
  }
}

const mib = (b: number): string => (b / 1048576).toFixed(1);
const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)} %`;

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const endAt = t0 + o.minutes * 60_000;
  const samples: Sample[] = [];
  let trials = 0;
  let rounds = 0;
  let warmSnapshotDone = false;
  if (o.snapshots !== undefined) mkdirSync(o.snapshots, { recursive: true });
  const sample = (): void => {
    const m = process.memoryUsage();
    const s: Sample = { t: (performance.now() - t0) / 1000, rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, mallocHeap: mallocHeapRss(), trials };
    samples.push(s);
    if (samples.length % Math.max(1, Math.round(30 / o.sampleS)) === 1) {
      console.log(`t=${s.t.toFixed(0).padStart(4)}s  rss ${mib(s.rss).padStart(7)} MiB  heapUsed ${mib(s.heapUsed).padStart(6)} MiB  arrayBuffers ${mib(s.arrayBuffers).padStart(6)} MiB  malloc heap ${mib(s.mallocHeap).padStart(6)} MiB  trials ${trials}  rounds ${rounds}`);
    }
  };
  sample();
  const timer = setInterval(sample, o.sampleS * 1000);
  console.log(`inline campaign over ${CATALOG.length} catalog scenarios for ${o.minutes} min (slice ${o.sliceMs} ms, warm-up ${o.warmupS} s, ${o.reuse ? 'runners reused across rounds' : 'hunt() per scenario and round'}, node ${process.version})`);
  try {
    while (performance.now() < endAt) {
      for (const { scenario } of CATALOG) {
        const left = endAt - performance.now();
        if (left <= 0) break;
        trials += o.reuse ? await reused(scenario, Math.min(o.sliceMs, left), rounds)
          : (await hunt(scenario, { trials: Number.MAX_SAFE_INTEGER, timeMs: Math.min(o.sliceMs, left), seed: 1 + rounds * 1_000_003, executor: 'inline', keepGoing: true })).trials;
        if (!warmSnapshotDone && o.snapshots !== undefined && performance.now() - t0 >= o.warmupS * 1000) {
          console.log(`heap snapshot: ${writeHeapSnapshot(join(o.snapshots, 'after-warmup.heapsnapshot'))} (RSS figures of this run are not comparable)`);
          warmSnapshotDone = true;
        }
      }
      if (performance.now() < endAt) rounds++;
    }
  } finally {
    clearInterval(timer);
  }
  sample();
  if (o.snapshots !== undefined) console.log(`heap snapshot: ${writeHeapSnapshot(join(o.snapshots, 'end.heapsnapshot'))}`);
  return report(o, samples, trials, rounds);
}

const runners = new Map<string, TrialRunner>();

/** --reuse: `ms` of trials on the scenario's long-lived runner, in 25 ms slices like hunt(). */
async function reused(s: (typeof CATALOG)[number]['scenario'], ms: number, round: number): Promise<number> {
  let r = runners.get(s.name);
  if (r === undefined) {
    r = createRunner(s, { executor: 'inline', strategies: portfolioFor(s) });
    runners.set(s.name, r);
  }
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < ms) {
    n += (await r.runSome({ from: n, to: Number.MAX_SAFE_INTEGER, base: 1 + round * 1_000_003, ms: 25 })).ran;
    await new Promise((res) => setImmediate(res));
  }
  return n;
}

const median = (xs: readonly number[]): number => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length === 0 ? NaN : v.length % 2 === 1 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};

/**
 * The verdict. RSS saw-tooths with V8's collections (±20 % here), so single samples make a poor
 * baseline: "after warm-up" is the median RSS over the window that follows warm-up, "final" the
 * median over the last window, and growth is final against after-warm-up. The maximum is
 * reported beside them.
 */
function report(o: Options, samples: readonly Sample[], trials: number, rounds: number): number {
  const after = samples.filter((s) => s.t >= o.warmupS);
  const end = samples[samples.length - 1]!.t;
  const first = after.filter((s) => s.t < o.warmupS + o.windowS);
  const lastW = after.filter((s) => s.t > end - o.windowS);
  if (after.length < 2 || end - o.warmupS < 2 * o.windowS || first.length === 0 || lastW.length === 0) {
    console.log(`run too short: need warm-up (${o.warmupS} s) plus two ${o.windowS} s windows for a verdict`);
    return 2;
  }
  const warm = median(first.map((s) => s.rss));
  const fin = median(lastW.map((s) => s.rss));
  const max = after.reduce((m, s) => (s.rss > m.rss ? s : m));
  const min = after.reduce((m, s) => (s.rss < m.rss ? s : m));
  const growth = (fin - warm) / warm;
  // Least-squares slope of RSS over time after warm-up: a leak shows as a steady climb.
  const n = after.length;
  const mt = after.reduce((a, s) => a + s.t, 0) / n;
  const mr = after.reduce((a, s) => a + s.rss, 0) / n;
  const slope = after.reduce((a, s) => a + (s.t - mt) * (s.rss - mr), 0) / after.reduce((a, s) => a + (s.t - mt) ** 2, 0);
  const ok = growth <= o.limitPct / 100;
  const row = (name: string, pick: (s: Sample) => number): string => {
    const mx = Math.max(...after.map(pick));
    return `| ${name}: after warm-up (median) / max / final (median) | ${mib(median(first.map(pick)))} / ${mib(mx)} / ${mib(median(lastW.map(pick)))} MiB |`;
  };
  console.log('');
  console.log(`trials ${trials}, ${rounds} complete rounds over ${CATALOG.length} scenarios, ${samples.length} samples every ${o.sampleS} s`);
  console.log(`after warm-up = median over t=${o.warmupS}–${o.warmupS + o.windowS} s; final = median over t=${(end - o.windowS).toFixed(0)}–${end.toFixed(0)} s`);
  console.log('| figure | value |');
  console.log('| --- | --- |');
  console.log(`| RSS at start | ${mib(samples[0]!.rss)} MiB |`);
  console.log(`| RSS after warm-up | ${mib(warm)} MiB |`);
  console.log(`| RSS final | ${mib(fin)} MiB |`);
  console.log(`| RSS min / max after warm-up | ${mib(min.rss)} MiB (t=${min.t.toFixed(0)} s) / ${mib(max.rss)} MiB (t=${max.t.toFixed(0)} s) |`);
  console.log(`| **growth: final vs after warm-up** | **${pct(growth)}** (limit +${o.limitPct} %) |`);
  console.log(`| growth: max vs after warm-up | ${pct((max.rss - warm) / warm)} |`);
  console.log(`| RSS trend after warm-up (least squares) | ${(slope * 60 / 1048576).toFixed(2)} MiB/min |`);
  console.log(row('heapUsed', (s) => s.heapUsed));
  console.log(row('arrayBuffers', (s) => s.arrayBuffers));
  if (samples[0]!.mallocHeap >= 0) console.log(row('malloc heap ([heap] RSS)', (s) => s.mallocHeap));
  console.log(`verdict: ${ok ? 'flat' : 'GREW'} (final vs after warm-up ${pct(growth)}, limit +${o.limitPct} %)`);
  return ok ? 0 : 1;
}

await benchMain('memory', main);
