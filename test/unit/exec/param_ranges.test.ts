/**
 * Parameter range declarations (ScenarioDef.paramRanges): what a well-formed one is, and that
 * every catalog scenario declares one for each number and string parameter.
 */
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../src/errno/errors.js';
import { checkRangeDecl, inRange, rangeText, type ParamRange } from '../../../src/exec/param_ranges.js';
import type { AnyScenario } from '../../../src/exec/scenario.js';
import { CATALOG } from '../../../scenarios/index.js';
import { stressRevoke } from '../../../scenarios/stress-revoke.js';

const PARAMS = { n: 2, s: 'a', b: true };

/** The code and message checkRangeDecl throws for `ranges` over PARAMS ('' if none). */
function refusal(ranges: unknown): string {
  try {
    checkRangeDecl('demo', PARAMS, ranges);
    return '';
  } catch (err) {
    return `${(err as HarnessError).code} ${(err as Error).message}`;
  }
}

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
  ])('refuses %j with ERR_SCENARIO naming the field', (ranges, field) => {
    expect(refusal(ranges)).toMatch(new RegExp(`^ERR_SCENARIO scenario demo: ${field.replace(/\./g, '\\.')} expected `));
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
