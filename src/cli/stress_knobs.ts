/**
 * The stress command's knobs (--importers, --engines, --buffer-size, --job-size, --revoke-every)
 * as scenario parameters, and their parsers. For stress-revoke the buffer is STRESS_MAX_PAGES
 * pages, so the page size is buffer-size / pages and a job is job-size / page-size pages; the
 * page size is checked against the scenario's pageBytes range, the rule `--param pageBytes` meets.
 * Other scenarios take a knob only when they have the parameter it sets; otherwise the knob is
 * refused. A text that is no count, size or period is refused while the options are parsed
 * (knobText), whatever the scenario; what depends on the scenario (its ranges, its buffer
 * geometry) once it is resolved. Every knob is refused as typed (`--revoke-every 2m: expected …,
 * got 2m`, `--importers 17`).
 */
import { InvalidArgumentError } from 'commander';
import { HarnessError } from '../errno/errors.js';
import { PAGE_BYTES_RANGE, inRange, paramRange, rangeText, type IntRange, type ParamRange } from '../exec/param_ranges.js';
import { resolveParams, type AnyScenario, type Params } from '../exec/scenario.js';
import { fmtBytes } from '../campaign/stress_format.js';
import { cliParams, durationMs, positiveInt } from './options.js';
import { STRESS_MAX_PAGES, STRESS_PAGE_BYTES } from '../../scenarios/stress-revoke.js';

export interface StressKnobs {
  readonly importers?: number;
  readonly engines?: number;
  readonly bufferSize?: number;
  readonly jobSize?: number;
  readonly revokeEvery?: number;
  /** The knobs as typed on the command line, echoed by a refusal (default: the value). */
  readonly text?: Readonly<Partial<Record<TypedKnob, string>>>;
}

/** The knobs, each read from the text typed on the command line. */
export type TypedKnob = 'importers' | 'engines' | 'bufferSize' | 'jobSize' | 'revokeEvery';

/** Each knob's option. */
const KNOB_FLAGS: Readonly<Record<TypedKnob, string>> = {
  importers: '--importers', engines: '--engines', bufferSize: '--buffer-size', jobSize: '--job-size', revokeEvery: '--revoke-every',
};

/** Page size for scenarios that do not choose one (a kernel page). */
const DEFAULT_PAGE_BYTES = 4096;

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kib: 1024, m: 1 << 20, mib: 1 << 20, g: 1 << 30, gib: 1 << 30 };
const SIZE_FORM = 'a size like 8M, 512K or 65536';
const PERIOD_FORM = 'a period with a unit, like 10ms or 1s (whole milliseconds, at least 1ms)';
const COUNT_FORM = 'a positive integer';

/** A byte size such as `8M`, `512KiB`, `65536`. */
export function byteSize(v: string): number {
  const m = /^([0-9]+)([a-z]*)$/i.exec(v);
  const unit = m === null ? undefined : UNITS[m[2]!.toLowerCase()];
  const n = m === null || unit === undefined ? NaN : Number(m[1]) * unit;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected ${SIZE_FORM}, got ${JSON.stringify(v)}`);
  return n;
}

/** A period of at least 1 ms, in whole milliseconds, with its unit (`10ms`, `1s`; a bare number
 *  is refused, as by durationMs). */
export function periodMs(v: string): number {
  let ms = NaN;
  try { ms = durationMs(v); } catch { /* refused below, in this parser's words */ }
  if (!(ms >= 1) || !Number.isInteger(ms)) throw new InvalidArgumentError(`expected ${PERIOD_FORM}, got ${JSON.stringify(v)}`);
  return ms;
}

/** A probability in [0, 1]. */
export function probability(v: string): number {
  const p = /^[0-9]*\.?[0-9]+$/.test(v) ? Number(v) : NaN;
  if (!(p >= 0 && p <= 1)) throw new InvalidArgumentError(`expected a probability between 0 and 1, got ${JSON.stringify(v)}`);
  return p;
}

/** The stress command's knob options as commander gives them: as typed. */
export interface TypedKnobs {
  readonly importers?: string;
  readonly engines?: string;
  readonly bufferSize?: string;
  readonly jobSize?: string;
  readonly revokeEvery?: string;
}

/** How each knob's text is read, and what a refusal says it expected. */
const KNOB_READERS: Readonly<Record<TypedKnob, readonly [(v: string) => number, string]>> = {
  importers: [positiveInt, COUNT_FORM], engines: [positiveInt, COUNT_FORM],
  bufferSize: [byteSize, SIZE_FORM], jobSize: [byteSize, SIZE_FORM], revokeEvery: [periodMs, PERIOD_FORM],
};

/**
 * The option parser of knob `k` (commander's argParser): refuses a text that is no count, size
 * or period while the options are parsed, before the scenario is looked at, as readKnobs would
 * (`--importers x: expected a positive integer, got x`, HarnessError ERR_BAD_OPTION, which
 * commander passes on); returns the text as typed, which readKnobs reads and range refusals echo.
 */
export function knobText(k: TypedKnob): (v: string) => string {
  return (v) => {
    readKnob(k, v);
    return v;
  };
}

/** Knob `k` read from `text`; a text that is no count, size or period is refused as typed. */
function readKnob(k: TypedKnob, text: string): number {
  const [parse, form] = KNOB_READERS[k];
  try { return parse(text); } catch { return refuseText(KNOB_FLAGS[k], text, form); }
}

/** `o` read into StressKnobs, keeping the typed text for refusals; a text that is no count, size
 *  or period (knobText refuses it first on the command line) is refused (HarnessError
 *  ERR_BAD_OPTION) as `--buffer-size 8MB!: expected …, got 8MB!`. */
export function readKnobs(o: TypedKnobs): StressKnobs {
  const knobs: { -readonly [K in TypedKnob]?: number } = {};
  const text: Partial<Record<TypedKnob, string>> = {};
  for (const k of Object.keys(KNOB_READERS) as TypedKnob[]) {
    const typedText = o[k];
    if (typedText === undefined) continue;
    knobs[k] = readKnob(k, typedText);
    text[k] = typedText;
  }
  return { ...knobs, text };
}

/** Refuse knob `knob` of `k`, named as typed: `--importers 4: what`. */
function refuse(k: StressKnobs, knob: TypedKnob, what: string): never {
  throw new HarnessError('ERR_BAD_OPTION', `${given(k, knob)}: ${what}`);
}

/** Refuse `flag` given as `text`: `--revoke-every 2m: expected …, got 2m`. */
function refuseText(flag: string, text: string, expected: string): never {
  throw new HarnessError('ERR_BAD_OPTION', `${flag} ${text}: expected ${expected}, got ${text}`);
}

/** What knob `knob` of `k` was typed as (its value when it came from code). */
function typed(k: StressKnobs, knob: TypedKnob): string {
  return k.text?.[knob] ?? String(k[knob]);
}

/** Knob `knob` of `k` as given on the command line: `--importers 17`. */
function given(k: StressKnobs, knob: TypedKnob): string {
  return `${KNOB_FLAGS[knob]} ${typed(k, knob)}`;
}

/** Whether stress-revoke's buffer can have pages of `pageBytes` (STRESS_PAGE_BYTES, the range of
 *  its pageBytes parameter: whole 4 KiB units up to 2 MiB). */
export function isStressPageSize(pageBytes: number): boolean {
  return inRange(STRESS_PAGE_BYTES, pageBytes);
}

/** The page sizes isStressPageSize accepts, in words. */
export const STRESS_PAGE_SIZES = `a multiple of ${fmtBytes(STRESS_PAGE_BYTES.multipleOf!)} up to ${fmtBytes(STRESS_PAGE_BYTES.max)}`;

/** `ms` in words: `60s`, `1ms`. */
function msText(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** The integer range of `param` of `s` (declared, or the harness's for `pageBytes`), if any. */
function intRange(s: AnyScenario, param: string): IntRange | undefined {
  const r: ParamRange | undefined = paramRange(s.paramRanges, s.params, param);
  return r === undefined || 'oneOf' in r ? undefined : r;
}

/** Refuse --buffer-size unless `pages` pages of buffer / pages bytes are in `range` (the
 *  scenario's pageBytes range: the one rule for --buffer-size and --param pageBytes). */
function checkBuffer(k: StressKnobs, pages: number, range: IntRange): void {
  const buffer = k.bufferSize!;
  if (inRange(range, buffer / pages)) return;
  const step = pages * (range.multipleOf ?? 1);
  refuseText(KNOB_FLAGS.bufferSize, typed(k, 'bufferSize'),
    `a multiple of ${fmtBytes(step)} from ${fmtBytes(pages * range.min)} to ${fmtBytes(pages * range.max)} (${pages} pages of pageBytes, ${rangeText(range)})`);
}

/** buffer-size and job-size as pageBytes and jobPages of a scenario with those parameters. */
function sizes(s: AnyScenario, k: StressKnobs): Params {
  const pages = STRESS_MAX_PAGES;
  if (k.bufferSize !== undefined) checkBuffer(k, pages, intRange(s, 'pageBytes') ?? PAGE_BYTES_RANGE);
  const buffer = k.bufferSize ?? (s.params.pageBytes as number) * pages;
  const pageBytes = buffer / pages;
  const job = k.jobSize ?? buffer;
  if (job % pageBytes !== 0 || job > buffer) {
    refuseText(KNOB_FLAGS.jobSize, typed(k, 'jobSize'), `a multiple of the page size ${fmtBytes(pageBytes)} (buffer size / ${pages}) up to the buffer size ${fmtBytes(buffer)}`);
  }
  return { pages, pageBytes, jobPages: job / pageBytes };
}

/** Refuse --revoke-every outside the scenario's revokeEveryMs range, in the knob's words. */
function checkPeriod(s: AnyScenario, k: StressKnobs): void {
  const range = intRange(s, 'revokeEveryMs');
  if (range === undefined || inRange(range, k.revokeEvery)) return;
  refuseText(KNOB_FLAGS.revokeEvery, typed(k, 'revokeEvery'), `a whole number of milliseconds from ${msText(range.min)} to ${msText(range.max)}`);
}

/** Refuse knob `knob` of `k` setting `param` when --param sets it too (one would silently win). */
function once(k: StressKnobs, knob: TypedKnob, param: string, over: Params): void {
  if (param in over) refuse(k, knob, `sets parameter ${param}, which --param ${param}=${String(over[param])} sets too (expected one of the two)`);
}

/** The scenario parameter each count or period knob sets. */
const KNOB_PARAMS = [['importers', 'importers'], ['engines', 'engines'], ['revokeEvery', 'revokeEveryMs']] as const;

/**
 * Scenario parameters for `s` from `over` (--param) and the knobs; refuses a knob the scenario
 * has no parameter for, or one whose parameter `over` sets too. Returns the resolved parameters
 * and the device memory page size. Every refusal names the knob as typed (`--importers 17: …`).
 */
export function stressParams(s: AnyScenario, over: Params, k: StressKnobs): { params: Params; pageBytes: number } {
  const has = (key: string): boolean => key in s.params;
  const want: Record<string, number | string | boolean> = { ...over };
  const setBy: Record<string, string> = {};
  for (const [knob, param] of KNOB_PARAMS) {
    if (k[knob] === undefined) continue;
    if (!has(param)) refuse(k, knob, `scenario ${s.name} has no parameter ${param} (the stress knobs fit stress-revoke)`);
    once(k, knob, param, over);
    if (knob === 'revokeEvery') checkPeriod(s, k);
    want[param] = k[knob];
    setBy[param] = given(k, knob);
  }
  if (k.bufferSize !== undefined || k.jobSize !== undefined) {
    const pagesBy = k.bufferSize !== undefined ? 'bufferSize' : 'jobSize';
    const jobBy = k.jobSize !== undefined ? 'jobSize' : 'bufferSize';
    if (!has('pageBytes') || !has('jobPages')) refuse(k, pagesBy, `scenario ${s.name} does not model buffer sizes (the stress knobs fit stress-revoke)`);
    for (const param of ['pages', 'pageBytes']) once(k, pagesBy, param, over);
    once(k, jobBy, 'jobPages', over);
    Object.assign(want, sizes(s, k));
    Object.assign(setBy, { pages: given(k, pagesBy), pageBytes: given(k, pagesBy), jobPages: given(k, jobBy) });
  }
  const params = resolveParams(s, want, cliParams(setBy));
  const pb = params.pageBytes;
  return { params, pageBytes: typeof pb === 'number' && pb >= 1 ? pb : DEFAULT_PAGE_BYTES };
}
