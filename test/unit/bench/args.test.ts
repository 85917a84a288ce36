/**
 * Bench options take plain decimal numbers only: a typo, an empty value, a sign, an exponent or
 * `Infinity` is refused naming the flag (ERR_BAD_OPTION), so a bench never starts a run that does
 * not end or measures nothing. A scenario name is a catalog id, or refused (ERR_BAD_OPTION).
 */
import { describe, expect, it } from 'vitest';
import { catalogScenario, countArg, countListArg, pageArg, positiveArg, secondsArg, sizeArg } from '../../../bench/args.js';

const code = (f: () => unknown): unknown => {
  try { f(); } catch (err) { return [(err as { code?: unknown }).code, (err as Error).message.split(':')[0]]; }
  return 'accepted';
};

describe('secondsArg', () => {
  it.each([[undefined, 7], ['2', 2], ['0.5', 0.5], [' 3 ', 3]] as const)('reads %j as %d', (raw, v) => {
    expect(secondsArg('--seconds', raw, 7)).toBe(v);
  });

  it.each(['', 'x', '-1', '1e3', 'Infinity', '0', '0.0004'])('refuses %j', (raw) => {
    expect(code(() => secondsArg('--seconds', raw, 7))).toEqual(['ERR_BAD_OPTION', '--seconds']);
  });

  it('takes 0 where zero is allowed', () => {
    expect(secondsArg('--probe-seconds', '0', 5, true)).toBe(0);
  });
});

describe('countArg', () => {
  it.each([[undefined, 5], ['1', 1], ['12', 12]] as const)('reads %j as %d', (raw, v) => {
    expect(countArg('--reps', raw, 5)).toBe(v);
  });

  it.each(['', '0', '1.5', '-2', '1e3', 'NaN', '9007199254740993'])('refuses %j', (raw) => {
    expect(code(() => countArg('--reps', raw, 5))).toEqual(['ERR_BAD_OPTION', '--reps']);
  });

  it('takes 0 where zero is allowed', () => {
    expect(countArg('--nappers', '0', 8, true)).toBe(0);
  });
});

describe('countListArg', () => {
  it.each([[undefined, [0, 8]], ['3', [3]], ['0,2,200', [0, 2, 200]]] as const)('reads %j as %j', (raw, v) => {
    expect(countListArg('--settle-us', raw, [0, 8], true)).toEqual(v);
  });

  it.each(['', '2,', ',2', '2,x', '2;3'])('refuses %j', (raw) => {
    expect(code(() => countListArg('--settle-us', raw, [0, 8], true))).toEqual(['ERR_BAD_OPTION', '--settle-us']);
  });
});

describe('sizeArg', () => {
  it.each([[undefined, 4096], ['64K', 64 << 10], ['1M', 1 << 20], ['65536', 65536]] as const)('reads %j as %d', (raw, v) => {
    expect(sizeArg('--page', raw, 4096)).toBe(v);
  });

  it.each(['', '4x', '-1K', '0'])('refuses %j', (raw) => {
    expect(code(() => sizeArg('--page', raw, 4096))).toEqual(['ERR_BAD_OPTION', '--page']);
  });
});

describe('pageArg', () => {
  it.each([[undefined, 65536], ['4K', 4096], ['1M', 1 << 20], ['2M', 2 << 20]] as const)('reads %j as %d', (raw, v) => {
    expect(pageArg('--pages', raw, 65536)).toBe(v);
  });

  it.each(['1', '6000', '4M', '1G', 'x'])('refuses %j before anything is measured', (raw) => {
    expect(code(() => pageArg('--pages', raw, 65536))).toEqual(['ERR_BAD_OPTION', '--pages']);
  });
});

describe('positiveArg', () => {
  it.each([[undefined, 10], ['0.5', 0.5], ['3', 3]] as const)('reads %j as %d', (raw, v) => {
    expect(positiveArg('--minutes', raw, 10)).toBe(v);
  });

  it.each(['', '0', '-1', '1e3', 'Infinity', 'x'])('refuses %j', (raw) => {
    expect(code(() => positiveArg('--minutes', raw, 10))).toEqual(['ERR_BAD_OPTION', '--minutes']);
  });
});

describe('catalogScenario', () => {
  it('reads a catalog id as its scenario', () => {
    expect(catalogScenario('abba-no-ctx').name).toBe('abba-no-ctx');
  });

  it('refuses a name the catalog does not have', () => {
    expect(code(() => catalogScenario('no-such-scenario'))).toEqual(['ERR_BAD_OPTION', 'unknown scenario "no-such-scenario"']);
  });
});
