/**
 * Parameter range declarations (ScenarioDef.paramRanges): what a well-formed one is, and that
 * every catalog scenario declares one for each number and string parameter.
 */
import { describe, expect, it } from 'vitest';
import { checkRangeDecl, inRange, rangeText, type ParamRange } from '../../../src/exec/param_ranges.js';
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
