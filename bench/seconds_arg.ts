/**
 * A bench script's seconds option (`--seconds`, `--probe-seconds`): a plain finite decimal
 * number, so a typo, an empty value or `Infinity` never starts a run that does not end.
 */
import { HarnessError } from '../src/errno/errors.js';

/** `raw` as seconds (`dflt` when absent): finite, above 0, or at least 0 with `zeroOk`.
 *  Throws HarnessError(ERR_BAD_OPTION) naming `flag` otherwise. */
export function secondsArg(flag: string, raw: string | undefined, dflt: number, zeroOk = false): number {
  if (raw === undefined) return dflt;
  const v = /^[0-9]+(\.[0-9]+)?$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(v) || v < 0 || (v === 0 && !zeroOk)) {
    throw new HarnessError('ERR_BAD_OPTION', `${flag}: expected a ${zeroOk ? 'number ≥ 0' : 'positive number'}, got ${JSON.stringify(raw)}`);
  }
  return v;
}
