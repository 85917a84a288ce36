/**
 * The stress command's knobs (--importers, --engines, --buffer-size, --job-size, --revoke-every)
 * as scenario parameters, and their parsers. For stress-revoke the buffer is STRESS_MAX_PAGES
 * pages, so the page size is buffer-size / pages and a job is job-size / page-size pages. Other
 * scenarios take a knob only when they have the parameter it sets; otherwise the knob is refused.
 */
import { InvalidArgumentError } from 'commander';
import { HarnessError } from '../errno/errors.js';
import { resolveParams, type AnyScenario, type Params } from '../exec/scenario.js';
import { cliParams, durationMs } from './options.js';
import { STRESS_MAX_PAGES } from '../../scenarios/stress-revoke.js';

export interface StressKnobs {
  readonly importers?: number;
  readonly engines?: number;
  readonly bufferSize?: number;
  readonly jobSize?: number;
  readonly revokeEvery?: number;
}

/** Smallest modelled page (the kernel's) and the largest buffer (device memory stays < 300 MiB). */
export const MIN_PAGE_BYTES = 4096;
export const MAX_BUFFER_BYTES = 128 << 20;
/** Page size for scenarios that do not choose one (a kernel page). */
const DEFAULT_PAGE_BYTES = 4096;

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kib: 1024, m: 1 << 20, mib: 1 << 20, g: 1 << 30, gib: 1 << 30 };

/** A byte size such as `8M`, `512KiB`, `65536`. */
export function byteSize(v: string): number {
  const m = /^([0-9]+)([a-z]*)$/i.exec(v);
  const unit = m === null ? undefined : UNITS[m[2]!.toLowerCase()];
  const n = m === null || unit === undefined ? NaN : Number(m[1]) * unit;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a size like 8M, 512K or 65536, got ${JSON.stringify(v)}`);
  return n;
}

/** A period of at least 1 ms, in whole milliseconds (`10ms`, `1s`). */
export function periodMs(v: string): number {
  const ms = durationMs(v);
  if (ms < 1 || !Number.isInteger(ms)) throw new InvalidArgumentError(`expected a whole number of milliseconds (at least 1ms), got ${JSON.stringify(v)}`);
  return ms;
}

/** A probability in [0, 1]. */
export function probability(v: string): number {
  const p = /^[0-9]*\.?[0-9]+$/.test(v) ? Number(v) : NaN;
  if (!(p >= 0 && p <= 1)) throw new InvalidArgumentError(`expected a probability between 0 and 1, got ${JSON.stringify(v)}`);
  return p;
}

function refuse(flag: string, what: string): never {
  throw new HarnessError('ERR_BAD_OPTION', `${flag}: ${what}`);
}

/** Whether stress-revoke's buffer can have pages of `pageBytes`: whole 4 KiB units, with its
 *  STRESS_MAX_PAGES pages within MAX_BUFFER_BYTES. */
export function isStressPageSize(pageBytes: number): boolean {
  return Number.isInteger(pageBytes) && pageBytes > 0 && pageBytes % MIN_PAGE_BYTES === 0 && pageBytes * STRESS_MAX_PAGES <= MAX_BUFFER_BYTES;
}

/** The page sizes isStressPageSize accepts, in words. */
export const STRESS_PAGE_SIZES = `a multiple of ${MIN_PAGE_BYTES / 1024} KiB up to ${MAX_BUFFER_BYTES / STRESS_MAX_PAGES / 1024} KiB`;

/** buffer-size and job-size as pageBytes and jobPages of stress-revoke. */
function sizes(k: StressKnobs, defaults: Params): Params {
  const pages = STRESS_MAX_PAGES;
  const buffer = k.bufferSize ?? (defaults.pageBytes as number) * pages;
  const pageBytes = buffer / pages;
  if (k.bufferSize !== undefined && !isStressPageSize(pageBytes)) {
    refuse('--buffer-size', `expected a multiple of ${(pages * MIN_PAGE_BYTES) / 1024} KiB (${pages} pages of whole 4 KiB units) up to ${MAX_BUFFER_BYTES >> 20} MiB, got ${buffer}`);
  }
  const job = k.jobSize ?? buffer;
  if (job % pageBytes !== 0 || job > buffer) refuse('--job-size', `expected a multiple of the page size (${pageBytes} B = buffer size / ${pages}) up to the buffer size ${buffer}, got ${job}`);
  return { pages, pageBytes, jobPages: job / pageBytes };
}

/** Refuse knob `flag` setting `param` when --param sets it too (one would silently win). */
function once(flag: string, param: string, over: Params): void {
  if (param in over) refuse(flag, `sets parameter ${param}, which --param ${param}=${String(over[param])} sets too (expected one of the two)`);
}

/**
 * Scenario parameters for `s` from `over` (--param) and the knobs; refuses a knob the scenario
 * has no parameter for, or one whose parameter `over` sets too. Returns the resolved parameters
 * and the device memory page size.
 */
export function stressParams(s: AnyScenario, over: Params, k: StressKnobs): { params: Params; pageBytes: number } {
  const has = (key: string): boolean => key in s.params;
  const want: Record<string, number | string | boolean> = { ...over };
  const flags: Record<string, string> = {};
  const map: [keyof StressKnobs, string, string][] = [['importers', 'importers', '--importers'], ['engines', 'engines', '--engines'], ['revokeEvery', 'revokeEveryMs', '--revoke-every']];
  for (const [knob, param, flag] of map) {
    if (k[knob] === undefined) continue;
    if (!has(param)) refuse(flag, `scenario ${s.name} has no parameter ${param} (the stress knobs fit stress-revoke)`);
    once(flag, param, over);
    want[param] = k[knob]!;
    flags[param] = flag;
  }
  if (k.bufferSize !== undefined || k.jobSize !== undefined) {
    const flag = k.bufferSize !== undefined ? '--buffer-size' : '--job-size';
    if (!has('pageBytes') || !has('jobPages')) refuse(flag, `scenario ${s.name} does not model buffer sizes (the stress knobs fit stress-revoke)`);
    for (const param of ['pages', 'pageBytes']) once(flag, param, over);
    once(k.jobSize !== undefined ? '--job-size' : '--buffer-size', 'jobPages', over);
    Object.assign(want, sizes(k, s.params));
    for (const param of ['pages', 'pageBytes', 'jobPages']) flags[param] = flag;
  }
  const params = resolveParams(s, want, cliParams(flags));
  const pb = params.pageBytes;
  return { params, pageBytes: typeof pb === 'number' && pb >= 1 ? pb : DEFAULT_PAGE_BYTES };
}
