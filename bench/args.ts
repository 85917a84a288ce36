/**
 * A bench script's arguments: its numeric options (`--seconds`, `--runs`, `--reps`, lists such as
 * `--nappers 0,8`, sizes such as `--page 64K`), plain decimal numbers only, so a typo, an empty
 * value or `Infinity` never starts a run that does not end or measures nothing; and catalog
 * scenario names. Each parser throws HarnessError(ERR_BAD_OPTION) naming the flag (or scenario),
 * what it expected and what it got; benchMain turns that into one line and exit 2.
 */
import { HarnessError } from '../src/errno/errors.js';
import { STRESS_PAGE_SIZES, byteSize, isStressPageSize } from '../src/cli/stress_knobs.js';
import type { AnyScenario } from '../src/exec/scenario.js';
import { catalogScenarioNamed } from '../scenarios/index.js';

const bad = (flag: string, expected: string, raw: string): HarnessError =>
  new HarnessError('ERR_BAD_OPTION', `${flag}: expected ${expected}, got ${JSON.stringify(raw)}`);

/** `raw` as a plain decimal number (digits, an optional fraction; blanks around), else NaN. */
const decimal = (raw: string): number => (/^[0-9]+(\.[0-9]+)?$/.test(raw.trim()) ? Number(raw) : NaN);

/** `raw` as a positive decimal number (`dflt` when absent). */
export function positiveArg(flag: string, raw: string | undefined, dflt: number): number {
  if (raw === undefined) return dflt;
  const v = decimal(raw);
  if (!(v > 0) || !Number.isFinite(v)) throw bad(flag, 'a positive number', raw);
  return v;
}

/** `raw` as seconds (`dflt` when absent): finite and at least a millisecond (a run measured in
 *  whole milliseconds), or 0 with `zeroOk`. */
export function secondsArg(flag: string, raw: string | undefined, dflt: number, zeroOk = false): number {
  if (raw === undefined) return dflt;
  const v = decimal(raw);
  if (!Number.isFinite(v) || v < 0 || (v === 0 && !zeroOk) || (v > 0 && v < 0.001)) {
    throw bad(flag, zeroOk ? 'a number ≥ 0 (0, or at least 0.001)' : 'a number ≥ 0.001', raw);
  }
  return v;
}

/** `raw` as a count (`dflt` when absent): a safe integer above 0, or at least 0 with `zeroOk`. */
export function countArg(flag: string, raw: string | undefined, dflt: number, zeroOk = false): number {
  if (raw === undefined) return dflt;
  const v = /^[0-9]+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(v) || (v === 0 && !zeroOk)) throw bad(flag, zeroOk ? 'an integer ≥ 0' : 'a positive integer', raw);
  return v;
}

/** `raw` as a comma-separated list of counts (`dflt` when absent), each as countArg reads it. */
export function countListArg(flag: string, raw: string | undefined, dflt: readonly number[], zeroOk = false): number[] {
  if (raw === undefined) return [...dflt];
  return raw.split(',').map((part) => {
    try { return countArg(flag, part, 0, zeroOk); } catch { throw bad(flag, `a comma-separated list of ${zeroOk ? 'integers ≥ 0' : 'positive integers'}`, raw); }
  });
}

/** `raw` as a byte size such as 64K or 1M (`dflt` when absent), as the stress command reads one. */
export function sizeArg(flag: string, raw: string | undefined, dflt: number): number {
  if (raw === undefined) return dflt;
  try { return byteSize(raw); } catch (err) { throw new HarnessError('ERR_BAD_OPTION', `${flag}: ${(err as Error).message}`); }
}

/** `raw` as a device page size (`dflt` when absent): a size sizeArg reads that a stress-revoke
 *  buffer can have pages of (a multiple of 4 KiB up to 2 MiB), so a probe never copies 1-byte or
 *  1 GiB blocks for minutes before anything refuses it. */
export function pageArg(flag: string, raw: string | undefined, dflt: number): number {
  const v = sizeArg(flag, raw, dflt);
  if (!isStressPageSize(v)) throw bad(flag, `a page size, ${STRESS_PAGE_SIZES}`, raw ?? String(dflt));
  return v;
}

/** The catalog scenario named `name`; ERR_BAD_OPTION for a name the catalog does not have. */
export function catalogScenario(name: string): AnyScenario {
  const s = catalogScenarioNamed(name);
  if (s === undefined) throw new HarnessError('ERR_BAD_OPTION', `unknown scenario ${JSON.stringify(name)}`);
  return s;
}
