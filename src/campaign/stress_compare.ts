/**
 * `stress --compare A.json B.json`: two results side by side, each figure with the ratio B / A.
 * Rates (DMA bytes, lock events) are per second of each run's own wall time, so runs of different
 * lengths compare fairly; latencies compare directly. Parameters that differ are listed first.
 */
import { PHASE_NAMES } from '../kernel/phases.js';
import { fmtCount, fmtNs, fmtRate, fmtRatio, fmtShare } from './stress_format.js';
import { jobTime } from './stress_shares.js';
import type { StoredStressResults as StressResults } from './stress_schema.js';

export interface CompareRow {
  readonly metric: string;
  readonly a: string;
  readonly b: string;
  /** B / A, formatted (`1.23×`), or `-` when A is 0. */
  readonly ratio: string;
}

const row = (metric: string, a: number, b: number, fmt: (v: number) => string): CompareRow =>
  ({ metric, a: fmt(a), b: fmt(b), ratio: fmtRatio(a, b) });

const perSec = (r: StressResults, n: number): number => n / (Math.max(1, r.wallMs) / 1000);

/** A row of a figure a file may lack (`of` gives undefined: an older version, or nothing to
 *  measure): `-` there, and no ratio. */
function optionalRow(metric: string, a: StressResults, b: StressResults, of: (r: StressResults) => number | undefined): CompareRow {
  return pairRow(metric, of(a), of(b), fmtCount);
}

/** A row of two figures either of which may be missing (undefined): `-` there, and no ratio. */
function pairRow(metric: string, x: number | undefined, y: number | undefined, fmt: (v: number) => string): CompareRow {
  const s = (v: number | undefined): string => (v === undefined ? '-' : fmt(v));
  return { metric, a: s(x), b: s(y), ratio: x === undefined || y === undefined ? '-' : fmtRatio(x, y) };
}

/** Total wake-ups (or ms spent waking) per second over every actor; undefined for a file older
 *  than version 3, which does not record them. */
function wakesPerSec(r: StressResults, k: 'wakes' | 'wakeMs'): number | undefined {
  if (r.version === 1 || r.version === 2) return undefined;
  return perSec(r, r.locks.perActor.reduce((n, p) => n + p[k], 0));
}

/** CPU time (or runnable time waiting for a CPU) per second over every actor thread; undefined
 *  for a file older than version 4, or one whose OS did not report it. */
function cpuPerSec(r: StressResults, k: 'cpuMs' | 'runqMs'): number | undefined {
  if (!('threads' in r) || r.threads === null) return undefined;
  return perSec(r, r.threads.perActor.reduce((n, p) => n + p[k], 0));
}

function latencyRows(a: StressResults, b: StressResults): CompareRow[] {
  const out: CompareRow[] = [];
  for (const op of PHASE_NAMES) {
    const x = a.operations[op]!;
    const y = b.operations[op]!;
    if (x.count === 0 && y.count === 0) continue;
    out.push(row(`${op} /s`, perSec(a, x.count), perSec(b, y.count), fmtCount));
    out.push(row(`${op} p50`, x.p50Ns, y.p50Ns, fmtNs), row(`${op} p99`, x.p99Ns, y.p99Ns, fmtNs), row(`${op} max`, x.maxNs, y.maxNs, fmtNs));
  }
  return out;
}

function dmaRows(a: StressResults, b: StressResults): CompareRow[] {
  const out = [row('dma total', a.dma.bytesPerSec, b.dma.bytesPerSec, fmtRate)];
  const names = [...new Set([...a.dma.engines.map((e) => e.actor), ...b.dma.engines.map((e) => e.actor)])];
  for (const n of names) {
    const x = a.dma.engines.find((e) => e.actor === n)?.bytesPerSec ?? 0;
    const y = b.dma.engines.find((e) => e.actor === n)?.bytesPerSec ?? 0;
    out.push(row(`dma ${n}`, x, y, fmtRate));
  }
  const [ja, jb] = [jobTime(a) ?? undefined, jobTime(b) ?? undefined];
  if (ja === undefined && jb === undefined) return out;
  out.push(pairRow('dma in a job %', ja?.share, jb?.share, fmtShare));
  out.push(pairRow('dma rate in a job', ja?.bytesPerSec, jb?.bytesPerSec, fmtRate));
  return out;
}

function lockRows(a: StressResults, b: StressResults): CompareRow[] {
  return [
    row('lock acquisitions /s', perSec(a, a.locks.acquisitions), perSec(b, b.locks.acquisitions), fmtCount),
    row('lock contended /s', perSec(a, a.locks.contended), perSec(b, b.locks.contended), fmtCount),
    row('-EDEADLK backoffs /s', perSec(a, a.locks.backoffs), perSec(b, b.locks.backoffs), fmtCount),
    row('blocked on locks ms/s', perSec(a, a.locks.blockedLockMs), perSec(b, b.locks.blockedLockMs), fmtCount),
    optionalRow('wake-ups /s', a, b, (r) => wakesPerSec(r, 'wakes')),
    optionalRow('waking ms/s', a, b, (r) => wakesPerSec(r, 'wakeMs')),
  ];
}

function cpuRows(a: StressResults, b: StressResults): CompareRow[] {
  return [
    optionalRow('on a CPU ms/s', a, b, (r) => cpuPerSec(r, 'cpuMs')),
    optionalRow('waiting for a CPU ms/s', a, b, (r) => cpuPerSec(r, 'runqMs')),
  ];
}

/** Every compared figure, in display order. */
export function compareStress(a: StressResults, b: StressResults): CompareRow[] {
  return [
    row('wall time s', a.wallMs / 1000, b.wallMs / 1000, fmtCount),
    optionalRow('warm-up s', a, b, (r) => ('warmupMs' in r ? r.warmupMs / 1000 : undefined)),
    ...latencyRows(a, b), ...dmaRows(a, b), ...lockRows(a, b), ...cpuRows(a, b),
    row('findings', a.findings.length, b.findings.length, fmtCount),
  ];
}

/** Parameters whose values differ, as `key: a → b` lines. */
export function paramDiffs(a: StressResults, b: StressResults): string[] {
  const keys = [...new Set([...Object.keys(a.params), ...Object.keys(b.params)])].sort();
  const out = keys.filter((k) => a.params[k] !== b.params[k]).map((k) => `${k}: ${String(a.params[k] ?? '-')} → ${String(b.params[k] ?? '-')}`);
  if (a.scenario !== b.scenario) out.unshift(`scenario: ${a.scenario} → ${b.scenario}`);
  const rev = (r: StressResults): string => ('scenarioRevision' in r ? String(r.scenarioRevision) : '-');
  if (rev(a) !== rev(b)) out.push(`scenario revision: ${rev(a)} → ${rev(b)} (the same parameters may mean different work)`);
  // A scenario with a pageBytes parameter already listed it.
  if (a.pageBytes !== b.pageBytes && !out.some((l) => l.startsWith('pageBytes:'))) out.push(`pageBytes: ${a.pageBytes} → ${b.pageBytes}`);
  return out;
}

/** The side-by-side table with a header naming the files. */
export function formatCompare(aName: string, bName: string, a: StressResults, b: StressResults): string {
  const rows = compareStress(a, b);
  const head: CompareRow = { metric: 'metric', a: `A ${aName}`, b: `B ${bName}`, ratio: 'B/A' };
  const w = (k: keyof CompareRow): number => Math.max(...[head, ...rows].map((r) => r[k].length));
  const fmt = (r: CompareRow): string =>
    `${r.metric.padEnd(w('metric'))}  ${r.a.padStart(w('a'))}  ${r.b.padStart(w('b'))}  ${r.ratio.padStart(w('ratio'))}`;
  const diffs = paramDiffs(a, b);
  return [
    ...(diffs.length === 0 ? ['same scenario and parameters'] : ['differences:', ...diffs.map((d) => `  ${d}`)]),
    '',
    fmt(head),
    ...rows.map(fmt),
    '',
  ].join('\n');
}
