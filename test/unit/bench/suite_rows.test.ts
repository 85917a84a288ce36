/** Each DESIGN §8 row is judged against its target in the run that measured it. */
import { describe, expect, it } from 'vitest';
import { atLeast, atMost, limitRow, ratioAtLeast, renderRows } from '../../../bench/suite_rows.js';

describe('bench suite rows', () => {
  it.each([
    ['a ratio at its bound', ratioAtLeast(0.5, 0.5), true],
    ['a ratio below it', ratioAtLeast(0.09, 0.5), false],
    ['a NaN ratio', ratioAtLeast(NaN, 0.5), false],
    ['a value above a floor', atLeast(1.8e6, 1e6, '≥ 1 M/s'), true],
    ['a value below a floor', atLeast(9e5, 1e6, '≥ 1 M/s'), false],
    ['a value under a ceiling', atMost(0.002, 1, '≤ 1 ms'), true],
    ['a NaN value under a ceiling', atMost(NaN, 1, '≤ 1 ms'), false],
  ])('judges %s', (_name, verdict, met) => {
    expect(verdict.met).toBe(met);
  });

  it('marks a missed target in bold, a met one plainly, and a row without a target as context', () => {
    const table = renderRows([
      { figure: 'locks', measured: '4.5 M', limit: 'raw 50 M/s', ratio: 0.09, target: ratioAtLeast(0.09, 0.5) },
      { figure: 'copy', measured: '110 GB/s', limit: 'best 108 GB/s', ratio: 1.02, target: ratioAtLeast(1.02, 0.9) },
      { figure: 'trials', measured: '37590 trials/s', target: atLeast(37590, 5000, '≥ 5,000 trials/s') },
      { figure: '… variant', measured: '5 M', limit: 'raw 50 M/s', ratio: 0.1 },
    ]).split('\n');
    expect(table).toHaveLength(6);
    expect(table[2]!.endsWith('| ≥ 50 % — **missed** |')).toBe(true);
    expect(table[3]!.endsWith('| ≥ 90 % — met |')).toBe(true);
    expect(table[4]).toBe('| trials | 37590 trials/s | — | — | ≥ 5,000 trials/s — met |');
    expect(table[5]!.endsWith('| context |')).toBe(true);
  });

  it('judges a limit row on its own ratio, and leaves one without a share as context', () => {
    expect(limitRow('locks', '4.5 M', 'raw 50 M/s', 0.09, 0.5)).toEqual({ figure: 'locks', measured: '4.5 M', limit: 'raw 50 M/s', ratio: 0.09, target: { text: '≥ 50 %', met: false } });
    expect(limitRow('variant', '5 M', 'raw 50 M/s', 0.1).target).toBeUndefined();
  });
});
