/**
 * The host's copy rate over time: `node dist/bench/copy_probe.js [--seconds 60] [--page 64K]`
 * measures the scaling bench's copy limit (one page into each page of a 4 MiB job in turn;
 * copy_limit.ts) back to back, in probes of about 0.1 s, for the given time, and prints the
 * best, the median and the lowest probe, the share of probes below 90 % of the best and the longest
 * stretch of them.
 *
 * Why: on a VM the host's other tenants slow a single-thread copy for seconds at a time without
 * taking a vCPU away (no steal time is accounted). A 4 s scaling cell that falls in such a stretch
 * reads 15–25 points low whatever the harness does; a probe run before or after a table shows
 * whether the host was quiet (docs/BENCHMARKS.md).
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { fmtBytes, fmtRate, fmtShare } from '../src/campaign/stress_format.js';
import { copyLimit } from './copy_limit.js';
import { benchMain } from './main.js';
import { pageArg, secondsArg } from './args.js';

/** One probe: when it began and ended (seconds since the first began), and its copy rate (bytes/s). */
export interface Probe { readonly atSec: number; readonly endSec: number; readonly bytesPerSec: number }

export interface ProbeSummary {
  readonly probes: number;
  readonly best: number;
  readonly median: number;
  readonly lowest: number;
  /** Probes below 90 % of the best, as a share of all, 0..1. */
  readonly slowShare: number;
  /** The longest run of consecutive slow probes, from the start of its first to the end of its
   *  last, in seconds, and when it began (0 and NaN when none). */
  readonly longestSlowSec: number;
  readonly longestSlowAtSec: number;
}

/** A probe is slow below this share of the best. */
export const SLOW_BELOW = 0.9;

/** Probes of `pageBytes` pages, back to back for `seconds` (at least one), after one not kept
 *  (it compiles the copy and touches the buffers). */
export function probeCopies(pageBytes: number, seconds: number): Probe[] {
  const out: Probe[] = [];
  copyLimit(pageBytes, 1);
  const t0 = performance.now();
  const since = (): number => (performance.now() - t0) / 1000;
  do {
    const atSec = since();
    const bytesPerSec = copyLimit(pageBytes, 1).bytesPerSec;
    out.push({ atSec, endSec: since(), bytesPerSec });
  } while (since() < seconds);
  return out;
}

/** The summary of a non-empty probe series (in time order). */
export function summarizeProbes(ps: readonly Probe[]): ProbeSummary {
  const rates = ps.map((p) => p.bytesPerSec).sort((x, y) => x - y);
  const best = rates[rates.length - 1]!;
  const slow = (p: Probe): boolean => p.bytesPerSec < SLOW_BELOW * best;
  let longest = 0;
  let longestAt = NaN;
  for (let i = 0; i < ps.length;) {
    if (!slow(ps[i]!)) { i++; continue; }
    let j = i;
    while (j + 1 < ps.length && slow(ps[j + 1]!)) j++;
    const len = ps[j]!.endSec - ps[i]!.atSec;
    if (len > longest || Number.isNaN(longestAt)) { longest = len; longestAt = ps[i]!.atSec; }
    i = j + 1;
  }
  return {
    probes: ps.length, best, median: rates[Math.floor((rates.length - 1) / 2)]!, lowest: rates[0]!,
    slowShare: ps.filter(slow).length / ps.length, longestSlowSec: longest, longestSlowAtSec: longestAt,
  };
}

/** The summary in brief, relative to its own best probe (the scaling report's host line). */
export function probeBrief(s: ProbeSummary): string {
  const stretch = Number.isNaN(s.longestSlowAtSec) ? '' : `, longest stretch ${s.longestSlowSec.toFixed(1)} s`;
  return `median ${Math.round(100 * s.median / s.best)} % of the best (${fmtRate(s.best)}), ${(100 * s.slowShare).toFixed(0)} % of ${s.probes} probes below ${Math.round(100 * SLOW_BELOW)} %${stretch}`;
}

/** One line: what ran and its summary. */
export function probeReport(pageBytes: number, seconds: number, s: ProbeSummary): string {
  const pct = (x: number): string => `${Math.round(100 * x)} %`;
  const stretch = Number.isNaN(s.longestSlowAtSec) ? 'none'
    : `longest stretch ${s.longestSlowSec.toFixed(1)} s (from ${s.longestSlowAtSec.toFixed(1)} s)`;
  return `${fmtBytes(pageBytes)} pages, ${seconds} s, ${s.probes} probes: best ${fmtRate(s.best)}, median ${fmtRate(s.median)}`
    + ` (${pct(s.median / s.best)}), lowest ${fmtRate(s.lowest)} (${pct(s.lowest / s.best)});`
    + ` below ${pct(SLOW_BELOW)} of the best: ${fmtShare(s.slowShare)} of probes, ${stretch}`;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  await benchMain('copy_probe', async () => {
    const { values } = parseArgs({ options: { seconds: { type: 'string' }, page: { type: 'string' } } });
    const seconds = secondsArg('--seconds', values.seconds, 60);
    const pageBytes = pageArg('--page', values.page, 64 << 10);
    console.log(probeReport(pageBytes, seconds, summarizeProbes(probeCopies(pageBytes, seconds))));
  });
}
