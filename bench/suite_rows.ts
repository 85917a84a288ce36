/**
 * Rows of the bench suite's DESIGN §8 table, each judged against its target in the run that
 * measured it: `met`, or `**missed**` in bold, so a missed target cannot hide in a pasted table.
 * A row without a target is context (a limit's parts, a variant).
 */
import { fmtShare } from '../src/campaign/stress_format.js';

/** A target and whether this run met it. */
export interface Verdict { readonly text: string; readonly met: boolean }

export interface SuiteRow {
  readonly figure: string;
  readonly measured: string;
  /** The limit measured in the same run, in words; absent for absolute targets. */
  readonly limit?: string;
  /** measured ÷ limit. */
  readonly ratio?: number;
  readonly target?: Verdict;
}

/** Target: the ratio is at least `share` (0..1). NaN misses. */
export function ratioAtLeast(ratio: number, share: number): Verdict {
  return { text: `≥ ${Math.round(100 * share)} %`, met: ratio >= share };
}

/** A row measured against a limit of the same run: ratio = measured ÷ limit, judged against
 *  ratio ≥ `share` when one is given, context otherwise. */
export function limitRow(figure: string, measured: string, limit: string, ratio: number, share?: number): SuiteRow {
  return { figure, measured, limit, ratio, ...(share === undefined ? {} : { target: ratioAtLeast(ratio, share) }) };
}

/** Target: `value` is at least `bound` (described as `text`). NaN misses. */
export function atLeast(value: number, bound: number, text: string): Verdict {
  return { text, met: value >= bound };
}

/** Target: `value` is at most `bound` (described as `text`). NaN misses. */
export function atMost(value: number, bound: number, text: string): Verdict {
  return { text, met: value <= bound };
}

/** The table (Markdown): figure, measured, limit, ratio, target with its verdict. */
export function renderRows(rows: readonly SuiteRow[]): string {
  const cell = (r: SuiteRow): string[] => [
    r.figure, r.measured, r.limit ?? '—', r.ratio === undefined ? '—' : fmtShare(r.ratio),
    r.target === undefined ? 'context' : `${r.target.text} — ${r.target.met ? 'met' : '**missed**'}`,
  ];
  return ['| figure | measured | limit (same run) | ratio | target |', '| --- | --- | --- | --- | --- |', ...rows.map((r) => `| ${cell(r).join(' | ')} |`)].join('\n');
}
