/**
 * Parameter rule declarations (ScenarioDef.paramRules): what a well-formed one is, which rule a
 * set of values breaks, and which of its parameters a refusal names.
 */
import { describe, expect, it } from 'vitest';
import { thrown } from '../../support/refusal.js';
import { blamedParam, brokenRule, checkRuleDecl, ruleExpected, ruleGot, type ParamRule } from '../../../src/exec/param_rules.js';

type P = { importers: number; jobs: number; mode: string };
const PARAMS: P = { importers: 2, jobs: 1, mode: 'a' };
const JOBS: ParamRule<P> = { params: ['jobs', 'importers'], holds: (p) => p.importers * p.jobs <= 8, expected: (p) => `importers × jobs ≤ 8 (at most ${Math.floor(8 / p.importers)} jobs)` };

/** The code and message checkRuleDecl throws for `rules` over PARAMS ('' if none). */
const refusal = (rules: unknown): string => thrown(() => checkRuleDecl('demo', PARAMS, rules));

describe('checkRuleDecl', () => {
  it('accepts rules over parameters the defaults satisfy, with a string or function expectation', () => {
    expect(refusal([JOBS, { params: ['mode'], holds: () => true, expected: 'anything' }])).toBe('');
    expect(refusal([{ ...JOBS, name: 'job-rows' }, { ...JOBS, name: 'job-rows-2' }])).toBe('');
  });

  it.each([
    [{}, 'paramRules:'],
    [[null], 'paramRules\\[0\\]:'],
    [[{ ...JOBS, params: [] }], 'paramRules\\[0\\]\\.params:'],
    [[{ ...JOBS, params: ['nosuch'] }], 'paramRules\\[0\\]\\.params:'],
    [[JOBS, { ...JOBS, holds: 'yes' }], 'paramRules\\[1\\]\\.holds:'],
    [[{ ...JOBS, expected: 3 }], 'paramRules\\[0\\]\\.expected:'],
    [[{ ...JOBS, holds: (p: P) => p.jobs > 1 }], 'paramRules\\[0\\]:'],
    [[{ ...JOBS, name: 3 }], 'paramRules\\[0\\]\\.name:'],
    [[{ ...JOBS, name: '' }], 'paramRules\\[0\\]\\.name:'],
    [[{ ...JOBS, name: 'Job Rows' }], 'paramRules\\[0\\]\\.name:'],
    [[{ ...JOBS, name: 'job-rows' }, { ...JOBS, name: 'job-rows' }], 'paramRules\\[1\\]\\.name:'],
  ])('refuses %j with ERR_SCENARIO naming the field', (rules, field) => {
    expect(refusal(rules)).toMatch(new RegExp(`^ERR_SCENARIO scenario demo: ${field} expected `));
  });
});

describe('a broken rule', () => {
  it('is the first rule the values break', () => {
    const always: ParamRule<P> = { params: ['mode'], holds: () => false, expected: 'never' };
    expect(brokenRule([JOBS, always], PARAMS)).toBe(always);
    expect(brokenRule([JOBS, always], { ...PARAMS, jobs: 5 })).toBe(JOBS);
    expect(brokenRule([JOBS], PARAMS)).toBeUndefined();
    expect(brokenRule(undefined, PARAMS)).toBeUndefined();
  });

  it('names the first of its parameters the run set, else its first', () => {
    expect(blamedParam(JOBS, { importers: 5 })).toBe('importers');
    expect(blamedParam(JOBS, { importers: 5, jobs: 2 })).toBe('jobs');
    expect(blamedParam(JOBS, { mode: 'b' })).toBe('jobs');
  });

  it('states what it expected for the values and what they gave', () => {
    const p = { ...PARAMS, importers: 4, jobs: 3 };
    expect(ruleExpected(JOBS, p)).toBe('importers × jobs ≤ 8 (at most 2 jobs)');
    expect(ruleGot(JOBS, p)).toBe('jobs=3, importers=4');
  });
});
