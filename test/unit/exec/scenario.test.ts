/**
 * resolveParams: defaults overridden by values in their declared ranges; anything else refused
 * with one line naming what set the value (the origin) and what was expected.
 */
import { describe, expect, it } from 'vitest';
import type { HarnessError } from '../../../src/errno/errors.js';
import { defineScenario, resolveParams, type ParamOrigin, type Params } from '../../../src/exec/scenario.js';

const demo = defineScenario({
  name: 'demo', module: import.meta.url, expect: 'clean',
  params: { importers: 2, usage: 'read', fast: true, ratio: 0.5, kernel: 'final' },
  paramRanges: { importers: { min: 1, max: 8 }, usage: { oneOf: ['read', 'write'] } },
  setup: () => ({}), actors: () => [],
});

/** The code and message resolveParams throws for `over` (and `origin`), '' if none. */
function refusal(over: Params, origin?: ParamOrigin): string {
  try {
    resolveParams(demo, over, origin);
    return '';
  } catch (err) {
    return `${(err as HarnessError).code} ${(err as Error).message}`;
  }
}

describe('resolveParams', () => {
  it('takes values in range, and numbers of parameters that declare none', () => {
    expect(resolveParams(demo, { importers: 8, usage: 'write', ratio: -3.5, kernel: 'v3' })).toMatchObject({ importers: 8, usage: 'write', ratio: -3.5, kernel: 'v3', fast: true });
  });

  it.each([
    [{ importers: 0 }, 'importers', 'an integer 1..8'], [{ importers: 9 }, 'importers', 'an integer 1..8'],
    [{ importers: 1.5 }, 'importers', 'an integer 1..8'], [{ importers: '3' }, 'importers', 'an integer 1..8'],
    [{ usage: 'sideways' }, 'usage', 'one of read|write'], [{ usage: 1 }, 'usage', 'one of read|write'],
    [{ fast: 1 }, 'fast', 'true or false'], [{ kernel: 'v4' }, 'kernel', 'one of v3|final'],
    [{ nosuch: 1 }, 'nosuch', 'one of importers, usage, fast, ratio, kernel'],
  ])('refuses %j with ERR_BAD_OPTION naming param %s', (over, key, expected) => {
    expect(refusal(over)).toMatch(new RegExp(`^ERR_BAD_OPTION scenario demo: param ${key}: expected ${expected.replace(/[.|]/g, '\\$&')}`));
  });

  it('names what the origin says set the value, with its code and number form', () => {
    const origin: ParamOrigin = { code: 'ERR_REPLAY_FILE', where: (s, k, v) => `f.json (${s}): params.${k}=${String(v)}`, numberForm: 'in digits' };
    expect(refusal({ importers: '1e9' }, origin)).toBe('ERR_REPLAY_FILE f.json (demo): params.importers=1e9: expected an integer 1..8 in digits, got string "1e9"');
  });
});
