/**
 * The first-finding section carries DESIGN §8's verdict for the default portfolio: met only when
 * every hunt of every bug found it within 1,000 trials and its longest hunt took ≤ 10 s; a bug
 * not found in some hunt, found late or found slowly misses, and is named.
 */
import { describe, expect, it } from 'vitest';
import { firstFindingVerdict, type FirstFindingRow } from '../../../bench/first_finding.js';

const row = (scenario: string, strategy: string, trials: (number | null)[], maxSeconds: number): FirstFindingRow => {
  const asNum = trials.map((t) => t ?? Infinity);
  return {
    ref: 'S1', scenario, expect: 'use-after-revoke', strategy, trials, found: trials.filter((t) => t !== null).length,
    median: asNum.sort((a, b) => a - b)[asNum.length >> 1]!, max: Math.max(...asNum), maxSeconds,
  };
};

describe('firstFindingVerdict', () => {
  it('is met when every portfolio hunt found its bug in budget, naming the worst', () => {
    const v = firstFindingVerdict([row('a', 'portfolio', [3, 40], 0.2), row('b', 'portfolio', [900, 7], 1.5), row('b', 'random', [null], 10)]);
    expect(v).toMatch(/ — met: most trials 900 \(`b`\), longest hunt 1\.50 s \(`b`\)\.$/);
  });

  it.each([
    ['a hunt that did not find it', [3, null], 0.2],
    ['a hunt past 1,000 trials', [3, 1001], 0.2],
    ['a hunt longer than 10 s', [3, 4], 10.5],
  ] as const)('misses on %s, naming the scenario', (_name, trials, seconds) => {
    const v = firstFindingVerdict([row('ok', 'portfolio', [1], 0.1), row('late', 'portfolio', [...trials], seconds)]);
    expect(v).toContain('**missed** by `late`:');
  });

  it('is empty without portfolio rows', () => {
    expect(firstFindingVerdict([row('a', 'random', [1], 0.1)])).toBe('');
  });
});
