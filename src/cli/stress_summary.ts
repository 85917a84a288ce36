/** The stress command's text report on stdout: latencies per operation, DMA, locks, wake-ups, CPU
 *  time, findings. */
import { PHASE_NAMES } from '../kernel/phases.js';
import { fmtBytes, fmtCount, fmtNs, fmtRate, fmtShare as pct, plural } from '../campaign/stress_format.js';
import type { StressResults } from '../campaign/stress_schema.js';
import { jobTime, runShare, wakingShare } from '../campaign/stress_shares.js';

const COLS = ['count', 'p50', 'p90', 'p99', 'p99.9', 'max'] as const;

function latencyTable(r: StressResults): string[] {
  const rows = PHASE_NAMES.map((op) => {
    const s = r.operations[op]!;
    if (s.count === 0) return [op, '0', '-', '-', '-', '-', '-'];
    return [op, fmtCount(s.count), fmtNs(s.p50Ns), fmtNs(s.p90Ns), fmtNs(s.p99Ns), fmtNs(s.p999Ns), fmtNs(s.maxNs)];
  });
  const all = [['operation', ...COLS], ...rows];
  const widths = all[0]!.map((_, c) => Math.max(...all.map((row) => row[c]!.length)));
  return all.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
}

/** The header: scenario, measured time (and warm-up), trials, seed, page size, then the
 *  parameters (none for a scenario without any). */
function paramsLine(r: StressResults): string {
  const p = Object.entries(r.params).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  const warm = r.warmupMs > 0 ? ` after a ${(r.warmupMs / 1000).toFixed(1)} s warm-up` : '';
  return `${r.scenario}: ${(r.wallMs / 1000).toFixed(1)} s${warm}, ${plural(r.trials, 'trial')}, seed ${r.seed}, page ${fmtBytes(r.pageBytes)}${p === '' ? '' : `; ${p}`}`;
}

/** The DMA line: the rate in all and per engine (with its jobs), then, when a job ran, the
 *  engines' share of the run in a job and their rate while in one (jobTime). */
function dmaLine(r: StressResults): string {
  const engines = r.dma.engines.map((e) => `${e.actor} ${fmtRate(e.bytesPerSec)} (${fmtCount(e.jobs)} jobs)`).join(', ');
  const jt = jobTime(r);
  const inJobs = jt === null ? '' : `; in a job ${pct(jt.share)} of the engines' time, at ${fmtRate(jt.bytesPerSec)}`;
  return `DMA: ${fmtRate(r.dma.bytesPerSec)} in all${engines === '' ? '' : `; ${engines}`}${inJobs}`;
}

/** Sleepers woken in all, and the share of each engine's wall time its wake calls took: a
 *  wake-up the engine pays for is time it does not copy. */
function wakeLine(r: StressResults, secs: number): string {
  const per = r.locks.perActor;
  const woken = per.reduce((n, p) => n + p.wakes, 0);
  const ms = per.reduce((n, p) => n + p.wakeMs, 0);
  const engines = r.dma.engines.map((e) => `${e.actor} ${pct(wakingShare(r, e.actor))}`);
  return `wake-ups: ${fmtCount(woken)} sleepers woken (${fmtCount(woken / secs)}/s), ${ms.toFixed(1)} ms in wake calls` +
    (engines.length === 0 ? '' : `; of the engines' time: ${engines.join(', ')}`);
}

/**
 * Each engine's time on a CPU and runnable waiting for one, as shares of the run, then the other
 * actors' summed: an engine that waits for a CPU loses copy time to the host's scheduling, not to
 * the model.
 */
function cpuLine(r: StressResults): string {
  if (r.threads === null) return 'CPU: not reported by this OS';
  const share = (ms: number): string => pct(runShare(r, ms));
  const isEngine = (actor: string): boolean => r.dma.engines.some((e) => e.actor === actor);
  const per = r.threads.perActor;
  const engines = per.filter((p) => isEngine(p.actor)).map((p) => `${p.actor} ${share(p.cpuMs)}, ${share(p.runqMs)}`);
  const others = per.filter((p) => !isEngine(p.actor));
  const sum = (k: 'cpuMs' | 'runqMs'): number => others.reduce((n, p) => n + p[k], 0);
  const rest = others.length === 0 ? [] : [`${engines.length === 0 ? 'the' : 'the other'} ${others.length} actors ${share(sum('cpuMs'))}, ${share(sum('runqMs'))} in all`];
  return `CPU (on a CPU, waiting for one; share of the run): ${[...engines, ...rest].join('; ')}`;
}

/** The whole report; `files` lists what was written. */
export function stressSummary(r: StressResults, files: readonly string[]): string {
  const secs = Math.max(1, r.wallMs) / 1000;
  const l = r.locks;
  const lines = [
    paramsLine(r),
    '',
    ...latencyTable(r),
    '',
    dmaLine(r),
    `locks: ${fmtCount(l.acquisitions)} acquisitions (${fmtCount(l.acquisitions / secs)}/s), ${fmtCount(l.contended)} contended, ` +
      `${fmtCount(l.backoffs)} -EDEADLK backoffs, ${l.blockedLockMs.toFixed(1)} ms blocked on locks`,
    wakeLine(r, secs),
    cpuLine(r),
    r.findings.length === 0 ? 'findings: none' : `findings (${r.findings.length}), stopped the run (end: ${r.end}):`,
    ...r.findings.map((f) => `  ${f.title} (seed ${f.seed})\n${f.message.split('\n').map((x) => `    ${x}`).join('\n')}`),
    ...files,
    '',
  ];
  return lines.join('\n');
}
