/**
 * The handoff probe behind docs/BENCHMARKS.md "Why the spin-policy handoff ratio is missed": how
 * fast a turn can pass between 2 threads when it carries only a generator step, the controlled
 * executor's memory traffic, or that traffic packed on one cache line — each as a ratio to a raw
 * token in the same run (bench/handoff-probe-worker.ts). `node dist/bench/handoff_probe.js [reps]`.
 */
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { CACHE_LINE_WORDS } from '../src/shm/layout.js';
import type { ProbeVariant } from './handoff-probe-worker.js';

const THREADS = 2;
const VARIANTS: readonly ProbeVariant[] = ['raw', 'rawwork', 'current', 'packet'];

/** Handoffs per second of `variant` between THREADS threads over `rounds` rounds each. */
export async function probeHandoffs(variant: ProbeVariant, rounds: number): Promise<number> {
  const sab = new SharedArrayBuffer((4 + 2 * THREADS) * CACHE_LINE_WORDS * 4);
  new Int32Array(sab)[CACHE_LINE_WORDS] = 1;
  const url = new URL('./handoff-probe-worker.js', import.meta.url);
  const workers = Array.from({ length: THREADS }, (_, me) => new Worker(url, { workerData: { sab, me, n: THREADS, rounds, variant } }));
  const res = await Promise.all(workers.map((w) => new Promise<{ ms: number }>((resolve) => w.once('message', resolve))));
  await Promise.all(workers.map((w) => w.terminate()));
  return (rounds * THREADS) / (Math.max(...res.map((r) => r.ms)) / 1000);
}

/** One line per repetition: each variant's rate and its ratio to `raw` measured just before. */
export async function probeReport(reps: number, rounds = 2_000_000): Promise<string[]> {
  const lines: string[] = [];
  for (let i = 0; i < reps; i++) {
    const rates = new Map<ProbeVariant, number>();
    for (const v of VARIANTS) rates.set(v, await probeHandoffs(v, rounds));
    const raw = rates.get('raw')!;
    lines.push(VARIANTS.map((v) => `${v} ${(rates.get(v)! / 1e6).toFixed(2)} M (${Math.round((100 * rates.get(v)!) / raw)} %)`).join('  '));
  }
  return lines;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) console.log((await probeReport(Number(process.argv[2] ?? 3))).join('\n'));
