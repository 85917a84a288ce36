/**
 * resolveParams: defaults overridden by values in their declared ranges and satisfying the
 * scenario's rules across parameters; anything else refused with one line naming what set the
 * value (the origin) and what was expected.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, resolveParams, type ParamOrigin, type Params } from '../../../src/exec/scenario.js';
import { thrown } from '../../support/refusal.js';

const demo = defineScenario({
  name: 'demo', module: import.meta.url, expect: 'clean',
  params: { importers: 2, usage: 'read', fast: true, ratio: 0.5, kernel: 'final' },
  paramRanges: { importers: { min: 1, max: 8 }, usage: { oneOf: ['read', 'write'] } },
  paramRules: [{ params: ['ratio', 'importers'], holds: (p) => p.importers * p.ratio <= 3, expected: 'importers × ratio ≤ 3' }],
  setup: () => ({}), actors: () => [],
});

/** The code and message resolveParams throws for `over` (and `origin`), '' if none. */
const refusal = (over: Params, origin?: ParamOrigin): string => thrown(() => resolveParams(demo, over, origin));

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

  it('refuses values its rules refuse together, after their ranges, naming the first rule parameter the run set', () => {
    expect(refusal({ importers: 8, ratio: 1 })).toBe('ERR_BAD_OPTION scenario demo: param ratio: expected importers × ratio ≤ 3, got ratio=1, importers=8');
    expect(refusal({ importers: 8 })).toBe('ERR_BAD_OPTION scenario demo: param importers: expected importers × ratio ≤ 3, got ratio=0.5, importers=8');
    expect(refusal({ importers: 9, ratio: 1 })).toMatch(/^ERR_BAD_OPTION scenario demo: param importers: expected an integer 1\.\.8/);
    expect(resolveParams(demo, { importers: 6 })).toMatchObject({ importers: 6, ratio: 0.5 });
  });

  it('names a rule\'s parameter as the origin says', () => {
    const origin: ParamOrigin = { code: 'ERR_REPLAY_FILE', where: (_s, k) => `f.json: params.${k}` };
    expect(refusal({ importers: 8, ratio: 1, usage: 'read' }, origin)).toBe('ERR_REPLAY_FILE f.json: params.ratio: expected importers × ratio ≤ 3, got ratio=1, importers=8');
  });
});

describe('defineScenario', () => {
  it('refuses rules its defaults break, naming paramRules', () => {
    const def = { name: 'demo', module: import.meta.url, expect: 'clean' as const, params: { n: 3 }, setup: () => ({}), actors: () => [] };
    expect(() => defineScenario({ ...def, paramRules: [{ params: ['n'], holds: (p) => p.n < 3, expected: 'n < 3' }] })).toThrow(/^scenario demo: paramRules\[0\]: expected a rule the defaults satisfy \(n < 3\), got n=3$/);
  });

  it('checks scheduledRules as it checks paramRules, naming scheduledRules, but takes rules its defaults break', () => {
    const def = { name: 'demo', module: import.meta.url, expect: 'clean' as const, params: { n: 3 }, setup: () => ({}), actors: () => [] };
    const define = (scheduledRules: unknown): string => thrown(() => defineScenario({ ...def, scheduledRules: scheduledRules as never }));
    expect(define([{ params: ['n'], expected: 'n < 3' }])).toMatch(/^ERR_SCENARIO scenario demo: scheduledRules\[0\]\.holds: /);
    expect(define([{ params: ['nosuch'], holds: () => true, expected: 'x' }])).toMatch(/^ERR_SCENARIO scenario demo: scheduledRules\[0\]\.params: /);
    expect(define({})).toMatch(/^ERR_SCENARIO scenario demo: scheduledRules: /);
    expect(define([{ params: ['n'], holds: (p: { n: number }) => p.n < 3, expected: 'n < 3' }])).toBe('');
  });
});
