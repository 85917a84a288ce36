/**
 * Parameter range declarations (ScenarioDef.paramRanges): what a well-formed one is, and that
 * every catalog scenario declares one for each number and string parameter.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_BYTES_RANGE, checkRangeDecl, inRange, rangeText, type ParamRange } from '../../../src/exec/param_ranges.js';
import { defineScenario, resolveParams, type Params } from '../../../src/exec/scenario.js';
import type { AnyScenario } from '../../../src/exec/scenario.js';
import { CATALOG } from '../../../scenarios/index.js';
import { stressRevoke } from '../../../scenarios/stress-revoke.js';
import { thrown } from '../../support/refusal.js';

const PARAMS = { n: 2, s: 'a', b: true };

/** The code and message checkRangeDecl throws for `ranges` over PARAMS ('' if none). */
const refusal = (ranges: unknown): string => thrown(() => checkRangeDecl('demo', PARAMS, ranges));

describe('checkRangeDecl', () => {
  it('accepts integer and string ranges holding their defaults', () => {
    expect(refusal({ n: { min: 0, max: 2 }, s: { oneOf: ['a', 'b'] } })).toBe('');
  });

  it.each([
    [[], 'paramRanges:'],
    [{ x: { min: 0, max: 1 } }, 'paramRanges.x:'],
    [{ n: { min: 1 } }, 'paramRanges.n:'],
    [{ n: { min: 1, max: 3, step: 1 } }, 'paramRanges.n:'],
    [{ n: { min: 1.5, max: 3 } }, 'paramRanges.n.min:'],
    [{ n: { min: 3, max: 2 } }, 'paramRanges.n.max:'],
    [{ n: { min: 3, max: 4 } }, 'paramRanges.n:'],
    [{ n: { oneOf: ['2'] } }, 'paramRanges.n:'],
    [{ s: { min: 0, max: 1 } }, 'paramRanges.s:'],
    [{ s: { oneOf: [] } }, 'paramRanges.s.oneOf:'],
    [{ s: { oneOf: ['b'] } }, 'paramRanges.s:'],
    [{ b: { oneOf: ['true'] } }, 'paramRanges.b:'],
    [{ n: { min: 0, max: 8, multipleOf: 0 } }, 'paramRanges.n.multipleOf:'],
    [{ n: { min: 0, max: 8, multipleOf: 1.5 } }, 'paramRanges.n.multipleOf:'],
    [{ n: { min: 0, max: 8, multipleOf: 4 } }, 'paramRanges.n:'],
  ])('refuses %j with ERR_SCENARIO naming the field', (ranges, field) => {
    expect(refusal(ranges)).toMatch(new RegExp(`^ERR_SCENARIO scenario demo: ${field.replace(/\./g, '\\.')} expected `));
  });
});

describe('a range with multipleOf', () => {
  const pageBytes = { min: 4096, max: 8192, multipleOf: 4096 };

  it('holds only the multiples within min..max, and says so', () => {
    expect([4096, 5000, 8192, 12288, 0].map((v) => inRange(pageBytes, v))).toEqual([true, false, true, false, false]);
    expect(rangeText(pageBytes)).toBe('a multiple of 4096 in 4096..8192');
  });

  it('is a declaration defineScenario takes when the default is a multiple', () => {
    expect(refusal({ n: { min: 0, max: 8, multipleOf: 2 } })).toBe('');
  });
});

describe('inRange', () => {
  it.each([
    [{ min: 1, max: 8 }, 1, true], [{ min: 1, max: 8 }, 8, true], [{ min: 1, max: 8 }, 0, false], [{ min: 1, max: 8 }, 9, false],
    [{ min: 1, max: 8 }, 1.5, false], [{ min: 1, max: 8 }, '2', false], [{ oneOf: ['v3', 'final'] }, 'v3', true],
    [{ oneOf: ['v3', 'final'] }, 'toString', false], [{ oneOf: ['v3', 'final'] }, 3, false],
  ] as [ParamRange, unknown, boolean][])('%j holds %j: %s', (range, value, holds) => {
    expect(inRange(range, value)).toBe(holds);
    expect(rangeText(range)).toMatch(/^(an integer -?\d+\.\.\d+|one of \S+)$/);
  });
});

describe('the catalog', () => {
  const all: AnyScenario[] = [...CATALOG.map((e) => e.scenario), stressRevoke];

  it.each(all.map((s) => [s.name, s] as const))('%s declares a range for each number and string parameter', (_name, s) => {
    const ranges = (s.paramRanges ?? {}) as Record<string, ParamRange>;
    const missing = Object.entries(s.params).filter(([k, v]) => typeof v !== 'boolean' && k !== 'kernel' && ranges[k] === undefined);
    expect(missing.map(([k]) => k)).toEqual([]);
  });
});

/** The code and message defineScenario throws for a scenario of `params`, `paramRanges` and `pages` ('' if none). */
function declRefusal(params: Params, paramRanges?: unknown, pages?: number): string {
  return thrown(() => defineScenario({
    name: 'demo', module: import.meta.url, expect: 'clean', params, setup: () => ({}), actors: () => [],
    ...(paramRanges === undefined ? {} : { paramRanges: paramRanges as never }), ...(pages === undefined ? {} : { geometry: { pages } }),
  }));
}

describe('parameters the harness reads have a range without a declaration', () => {
  it.each([[3], [5000], [0], [-4096], [4 << 20], [4096.5]])('a pageBytes default of %j is refused, naming params.pageBytes', (pageBytes) => {
    expect(declRefusal({ pageBytes })).toMatch(/^ERR_SCENARIO scenario demo: params\.pageBytes: expected a multiple of 4096 in 4096\.\.2097152 /);
  });

  it('a kernel default outside v3|final is refused, naming params.kernel', () => {
    expect(declRefusal({ kernel: 'v4' })).toMatch(/^ERR_SCENARIO scenario demo: params\.kernel: expected one of v3\|final /);
  });

  it.each([[4096], [8192], [12288], [2 << 20]])('a pageBytes default of %j is taken, and --param pageBytes keeps to the same range', (pageBytes) => {
    expect(declRefusal({ pageBytes })).toBe('');
    const s = defineScenario({ name: 'demo', module: import.meta.url, expect: 'clean', params: { pageBytes }, setup: () => ({}), actors: () => [] });
    expect(resolveParams(s, { pageBytes: 8192 })).toEqual({ pageBytes: 8192 });
    expect(thrown(() => resolveParams(s, { pageBytes: 5000 }))).toMatch(/^ERR_BAD_OPTION scenario demo: param pageBytes: expected a multiple of 4096 in 4096\.\.2097152, got 5000$/);
    expect(thrown(() => resolveParams(s, { pageBytes: 4 << 20 }))).toMatch(/param pageBytes: expected a multiple of 4096/);
  });

  it('a declared pageBytes range is the scenario\'s own choice within what device memory holds', () => {
    expect(declRefusal({ pageBytes: 100 }, { pageBytes: { min: 1, max: 1 << 20 } })).toBe('');
    expect(declRefusal({ pageBytes: 100 }, { pageBytes: { min: 0, max: 4096 } })).toMatch(/^ERR_SCENARIO scenario demo: paramRanges\.pageBytes\.min: expected at least 1/);
    const fits = Math.floor(2 ** 32 / (64 + 31));
    expect(declRefusal({ pageBytes: 4096 }, { pageBytes: { min: 1, max: fits } }, 64)).toBe('');
    expect(declRefusal({ pageBytes: 4096 }, { pageBytes: { min: 1, max: fits + 1 } }, 64)).toMatch(new RegExp(`^ERR_SCENARIO scenario demo: paramRanges\\.pageBytes\\.max: expected at most ${fits} `));
    expect(declRefusal({ pageBytes: 4096 }, { pageBytes: { min: 1, max: fits } }, 1000)).toMatch(/paramRanges\.pageBytes\.max: expected at most/);
  });

  it('names PAGE_BYTES_RANGE the range stress-revoke declares', () => {
    expect((stressRevoke.paramRanges as Record<string, ParamRange>).pageBytes).toEqual(PAGE_BYTES_RANGE);
  });
});
