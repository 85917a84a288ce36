/**
 * Trials to first finding (DESIGN §8: "time to first finding with the default portfolio on every
 * catalog bug: ≤ 1,000 trials and ≤ 10 s"). For every buggy catalog scenario and each strategy
 * (one strategy alone, or the default portfolio), run `seeds` hunts under `inline` with base
 * seeds 1 + 100,000·k (k = 0..seeds−1; trial i of a hunt uses seed base + i, so the hunts never
 * share a seed) and record the 1-based trial of the first expected finding, or null when the
 * budget ran out. `node dist/bench/first_finding.js` prints the Markdown table.
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { hunt } from '../src/campaign/hunt.js';
import type { AnyScenario } from '../src/exec/scenario.js';
import { CATALOG } from '../scenarios/index.js';
import { benchMain } from './main.js';

/** The strategies compared; `portfolio` means `strategies` omitted (portfolioFor the scenario). */
export const FIRST_FINDING_STRATEGIES: readonly string[] = ['random', 'pct:1', 'pct:2', 'pct:3', 'pos', 'portfolio'];

export const FIRST_FINDING_COMMAND = 'npm run build && node dist/bench/first_finding.js';

export interface FirstFindingOptions {
  readonly seeds: number;
  readonly trials: number;
  readonly timeMs: number;
  readonly strategies: readonly string[];
}

export const FIRST_FINDING_DEFAULTS: FirstFindingOptions = { seeds: 20, trials: 1000, timeMs: 10_000, strategies: FIRST_FINDING_STRATEGIES };

/** Base seed of the k-th hunt of a cell. */
export const baseSeed = (k: number): number => 1 + 100_000 * k;

export interface FirstFindingRow {
  readonly ref: string;
  readonly scenario: string;
  readonly expect: string;
  readonly strategy: string;
  /** Per hunt: trials to the first expected finding (1-based), or null (not found in budget). */
  readonly trials: readonly (number | null)[];
  /** How many hunts found it. */
  readonly found: number;
  /** Median and max over all hunts; Infinity when the middle / worst hunt did not find it. */
  readonly median: number;
  readonly max: number;
  /** Longest hunt, wall-clock seconds of the whole `hunt()` call (executor set-up included). */
  readonly maxSeconds: number;
}

/** Median of `xs` (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const m = s.length >> 1;
  if (s.length === 0) return NaN;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Run the hunts of one cell (scenario × strategy). */
async function cell(ref: string, s: AnyScenario, strategy: string, o: FirstFindingOptions): Promise<FirstFindingRow> {
  const trials: (number | null)[] = [];
  let maxSeconds = 0;
  for (let k = 0; k < o.seeds; k++) {
    const t0 = performance.now();
    const r = await hunt(s, {
      trials: o.trials, timeMs: o.timeMs, seed: baseSeed(k), executor: 'inline',
      ...(strategy === 'portfolio' ? {} : { strategies: [strategy] }),
    });
    maxSeconds = Math.max(maxSeconds, (performance.now() - t0) / 1000);
    trials.push(r.firstExpected);
  }
  const asNum = trials.map((t) => t ?? Infinity);
  return {
    ref, scenario: s.name, expect: s.expect, strategy, trials, found: trials.filter((t) => t !== null).length,
    median: median(asNum), max: Math.max(...asNum), maxSeconds,
  };
}

/** Every buggy catalog scenario × every strategy of `o`, in catalog order. */
export async function firstFindingRows(o: FirstFindingOptions = FIRST_FINDING_DEFAULTS): Promise<FirstFindingRow[]> {
  const rows: FirstFindingRow[] = [];
  for (const { ref, scenario } of CATALOG) {
    if (scenario.expect === 'clean') continue;
    for (const strategy of o.strategies) rows.push(await cell(ref, scenario, strategy, o));
  }
  return rows;
}

const num = (x: number, budget: number): string => (Number.isFinite(x) ? String(x) : `>${budget.toLocaleString('en-US')}`);

/** One table cell: `median / max`, with the found count when some hunt missed. */
export function formatCell(r: FirstFindingRow, budget: number): string {
  const base = `${num(r.median, budget)} / ${num(r.max, budget)}`;
  return r.found === r.trials.length ? base : `${base} (${r.found}/${r.trials.length})`;
}

/** Markdown: one line per scenario, one column per strategy, plus the portfolio's longest hunt. */
export function renderFirstFindingTable(rows: readonly FirstFindingRow[], o: FirstFindingOptions = FIRST_FINDING_DEFAULTS): string {
  const head = `| ref | scenario → expected | ${o.strategies.join(' | ')} | portfolio max s |`;
  const sep = `| ${['---', '---', ...o.strategies.map(() => '---:'), '---:'].join(' | ')} |`;
  const lines = [head, sep];
  for (const name of [...new Set(rows.map((r) => r.scenario))]) {
    const mine = rows.filter((r) => r.scenario === name);
    const first = mine[0]!;
    const cells = o.strategies.map((st) => {
      const r = mine.find((x) => x.strategy === st);
      return r === undefined ? '—' : formatCell(r, o.trials);
    });
    const pf = mine.find((x) => x.strategy === 'portfolio');
    lines.push(`| ${first.ref} | \`${first.scenario}\` → ${first.expect} | ${cells.join(' | ')} | ${pf === undefined ? '—' : pf.maxSeconds.toFixed(3)} |`);
  }
  return lines.join('\n');
}

/** DESIGN §8's bounds on the default portfolio's first finding of every catalog bug. */
export const FIRST_FINDING_TARGET = { trials: 1000, seconds: 10 } as const;

/**
 * The target's verdict over the portfolio rows: met when every hunt of every bug found it within
 * FIRST_FINDING_TARGET's trials and its longest hunt within its seconds; the worst cells named.
 * Empty when the portfolio was not run.
 */
export function firstFindingVerdict(rows: readonly FirstFindingRow[]): string {
  const pf = rows.filter((r) => r.strategy === 'portfolio');
  if (pf.length === 0) return '';
  const t = FIRST_FINDING_TARGET;
  const late = pf.filter((r) => !(r.max <= t.trials && r.maxSeconds <= t.seconds));
  const worst = pf.reduce((w, r) => (r.max > w.max ? r : w));
  const slowest = pf.reduce((w, r) => (r.maxSeconds > w.maxSeconds ? r : w));
  const text = `Target (DESIGN §8): ≤ ${t.trials.toLocaleString('en-US')} trials and ≤ ${t.seconds} s to the first finding of every catalog bug with the default portfolio`;
  const facts = `most trials ${num(worst.max, t.trials)} (\`${worst.scenario}\`), longest hunt ${slowest.maxSeconds.toFixed(2)} s (\`${slowest.scenario}\`)`;
  return late.length === 0 ? `${text} — met: ${facts}.`
    : `${text} — **missed** by ${late.map((r) => `\`${r.scenario}\``).join(', ')}: ${facts}.`;
}

/** The whole section body: what was run, then the table. */
export async function firstFindingReport(o: FirstFindingOptions = FIRST_FINDING_DEFAULTS): Promise<string> {
  const t0 = performance.now();
  const rows = await firstFindingRows(o);
  const took = (performance.now() - t0) / 1000;
  return [
    `Command: \`${FIRST_FINDING_COMMAND}\` — ${new Date().toISOString().slice(0, 10)}, cores: ${availableParallelism()}, node ${process.version}`,
    `Executor inline; ${o.seeds} hunts a cell (base seeds 1 + 100,000·k), budget ${o.trials.toLocaleString('en-US')} trials / ${o.timeMs / 1000} s a hunt;`
    + ` cells are trials to first finding, median / max (found count when < ${o.seeds}/${o.seeds}); whole run ${took.toFixed(1)} s.`,
    '',
    renderFirstFindingTable(rows, o),
    ...(firstFindingVerdict(rows) === '' ? [] : ['', firstFindingVerdict(rows)]),
  ].join('\n');
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  await benchMain('first_finding', async () => {
    parseArgs({ options: {} });
    console.log(await firstFindingReport());
  });
}
