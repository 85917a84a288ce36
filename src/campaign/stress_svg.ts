/**
 * The stress plot (`stress --svg plot.svg`), hand-written SVG with no dependency: on top, the
 * latency percentile spectrum of every operation (p50, p90, p99, p99.9, max on a log time axis),
 * one series per operation with id `lat-<operation>`; below, DMA throughput over time, one series
 * per engine with id `tput-<engine>`, each slot drawn at its middle. An operation without samples
 * still has its (empty) group, so a reader can tell "not measured" from "missing". A closing slot
 * shorter than half a slot (usually the wind-down after the stop request) is left out of the line:
 * a rate over a few milliseconds of actors stopping read as a collapse at the end. The results
 * file keeps it.
 */
import { PHASE_NAMES } from '../kernel/phases.js';
import { fmtNs, fmtRate, plural } from './stress_format.js';
import type { StressResults } from './stress_schema.js';

const W = 1000;
const H = 760;
const LEFT = 80;
const RIGHT = 700;
const LAT = { top: 70, bottom: 350 };
const TPUT = { top: 440, bottom: 700 };
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const QUANTILES: readonly { readonly label: string; readonly key: 'p50Ns' | 'p90Ns' | 'p99Ns' | 'p999Ns' | 'maxNs' }[] = [
  { label: 'p50', key: 'p50Ns' }, { label: 'p90', key: 'p90Ns' }, { label: 'p99', key: 'p99Ns' },
  { label: 'p99.9', key: 'p999Ns' }, { label: 'max', key: 'maxNs' },
];

/** XML-escape text and attribute values. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An id-safe form of a name (actor names are ids already; this guards user scenarios). */
function idOf(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_');
}

const n1 = (v: number): string => v.toFixed(1);
const text = (x: number, y: number, s: string, extra = ''): string => `<text x="${n1(x)}" y="${n1(y)}"${extra}>${esc(s)}</text>`;
const line = (x1: number, y1: number, x2: number, y2: number, cls: string): string =>
  `<line class="${cls}" x1="${n1(x1)}" y1="${n1(y1)}" x2="${n1(x2)}" y2="${n1(y2)}"/>`;

/** The whole plot for `r`. */
export function renderStressSvg(r: StressResults): string {
  const title = `dmabuf-harness stress ${r.scenario}: ${(r.wallMs / 1000).toFixed(1)} s, ${plural(r.trials, 'trial')}` +
    (r.findings.length > 0 ? `, ${r.findings.length} finding(s)` : '');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" id="stress-plot" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    '<style>.axis{stroke:#333;stroke-width:1}.grid{stroke:#ddd;stroke-width:1}.series polyline{fill:none;stroke-width:2}</style>',
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    text(W / 2, 28, title, ' text-anchor="middle" font-size="16"'),
    latencyPanel(r),
    throughputPanel(r),
    '</svg>',
    '',
  ].join('\n');
}

function latencyPanel(r: StressResults): string {
  const values = PHASE_NAMES.flatMap((op) => {
    const s = r.operations[op]!;
    return s.count === 0 ? [] : QUANTILES.map((q) => Math.max(1, s[q.key]));
  });
  const lo = Math.floor(Math.log10(Math.min(...values, 1e3)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values, 1e4))));
  const y = (ns: number): number => LAT.bottom - ((Math.log10(Math.max(1, ns)) - lo) / (hi - lo)) * (LAT.bottom - LAT.top);
  const x = (i: number): number => LEFT + ((i + 0.5) / QUANTILES.length) * (RIGHT - LEFT);
  const out = [text(LEFT, LAT.top - 14, 'Latency percentiles per operation (log scale)', ' font-weight="bold"'), '<g id="latency-axes">'];
  for (let d = lo; d <= hi; d++) {
    out.push(line(LEFT, y(10 ** d), RIGHT, y(10 ** d), 'grid'), text(LEFT - 6, y(10 ** d) + 4, decade(d), ' text-anchor="end"'));
  }
  QUANTILES.forEach((q, i) => out.push(text(x(i), LAT.bottom + 18, q.label, ' text-anchor="middle"')));
  out.push(line(LEFT, LAT.bottom, RIGHT, LAT.bottom, 'axis'), line(LEFT, LAT.top, LEFT, LAT.bottom, 'axis'), '</g>');
  PHASE_NAMES.forEach((op, k) => {
    const s = r.operations[op]!;
    const color = COLORS[k % COLORS.length]!;
    out.push(`<g id="lat-${op}" class="series" data-count="${s.count}" stroke="${color}" fill="${color}">`);
    if (s.count > 0) {
      const pts = QUANTILES.map((q, i) => `${n1(x(i))},${n1(y(s[q.key]))}`);
      out.push(`<polyline points="${pts.join(' ')}"/>`);
      QUANTILES.forEach((q, i) => out.push(`<circle cx="${n1(x(i))}" cy="${n1(y(s[q.key]))}" r="3"><title>${esc(`${op} ${q.label} ${fmtNs(s[q.key])}`)}</title></circle>`));
    }
    out.push('</g>');
    const label = s.count > 0 ? `${op}  p99 ${fmtNs(s.p99Ns)} (n=${s.count})` : `${op}  (no samples)`;
    out.push(legend(k, LAT.top, color, label));
  });
  return out.join('\n');
}

function legend(k: number, top: number, color: string, label: string): string {
  const yy = top + 6 + k * 18;
  return `<g class="legend"><rect x="${RIGHT + 14}" y="${yy - 9}" width="12" height="12" fill="${color}"/>${text(RIGHT + 32, yy + 1, label)}</g>`;
}

/** [middle of the slot (s), rate] for each slot of `rates` (slots `slotS` long from 0 in a run of
 *  `wallS`), without a closing slot shorter than half a slot unless it is the only one. */
export function plottedSlots(rates: readonly number[], slotS: number, wallS: number): [number, number][] {
  const out: [number, number][] = [];
  rates.forEach((rate, i) => {
    const len = Math.min(slotS, wallS - i * slotS);
    if (len >= slotS / 2 || (i === 0 && len > 0)) out.push([i * slotS + len / 2, rate]);
  });
  return out;
}

function throughputPanel(r: StressResults): string {
  const slotS = r.series.slotMs / 1000;
  const series = r.series.engines;
  const plotted = series.map((e) => plottedSlots(e.bytesPerSec, slotS, r.wallMs / 1000));
  const top = niceCeil(Math.max(1, ...plotted.flatMap((pts) => pts.map(([, rate]) => rate))));
  const spanS = Math.max(slotS, r.wallMs / 1000);
  const x = (tS: number): number => LEFT + (tS / spanS) * (RIGHT - LEFT);
  const y = (rate: number): number => TPUT.bottom - (rate / top) * (TPUT.bottom - TPUT.top);
  const out = [text(LEFT, TPUT.top - 14, 'DMA throughput over time, per engine', ' font-weight="bold"'), '<g id="throughput-axes">'];
  for (let i = 0; i <= 4; i++) out.push(line(LEFT, y((top * i) / 4), RIGHT, y((top * i) / 4), 'grid'), text(LEFT - 6, y((top * i) / 4) + 4, fmtRate((top * i) / 4), ' text-anchor="end"'));
  for (let i = 0; i <= 5; i++) out.push(text(x((spanS * i) / 5), TPUT.bottom + 18, `${((spanS * i) / 5).toFixed(1)} s`, ' text-anchor="middle"'));
  out.push(line(LEFT, TPUT.bottom, RIGHT, TPUT.bottom, 'axis'), line(LEFT, TPUT.top, LEFT, TPUT.bottom, 'axis'), '</g>');
  series.forEach((e, k) => {
    const color = COLORS[k % COLORS.length]!;
    const pts = plotted[k]!.map(([tS, rate]) => `${n1(x(tS))},${n1(y(rate))}`);
    out.push(`<g id="tput-${idOf(e.actor)}" class="series" data-points="${pts.length}" stroke="${color}" fill="${color}">`);
    if (pts.length > 0) out.push(`<polyline points="${pts.join(' ')}"/>`);
    out.push('</g>');
    const mean = r.dma.engines.find((d) => d.actor === e.actor)?.bytesPerSec ?? 0;
    out.push(legend(k, TPUT.top, color, `${e.actor}  mean ${fmtRate(mean)}`));
  });
  if (series.length === 0) out.push(text((LEFT + RIGHT) / 2, (TPUT.top + TPUT.bottom) / 2, 'no DMA in this run', ' text-anchor="middle"'));
  return out.join('\n');
}

/** 10^d ns as `1 ns`, `10 µs`, `100 ms`, `1 s`, `10 s`. */
function decade(d: number): string {
  const units = ['ns', 'µs', 'ms', 's'];
  const u = Math.min(3, Math.max(0, Math.floor(d / 3)));
  return `${10 ** (d - 3 * u)} ${units[u]}`;
}

/** 1, 2 or 5 times a power of ten, at least `v`. */
function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
