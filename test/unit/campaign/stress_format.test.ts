// Counted nouns in the CLI's lines (stress summary, shrink's schedule shape): singular for one,
// the plural form otherwise — an `s`, or the noun's own plural where an `s` is wrong.
import { describe, expect, it } from 'vitest';
import { plural } from '../../../src/campaign/stress_format.js';

describe('plural', () => {
  it.each([
    [0, 'trial', undefined, '0 trials'],
    [1, 'preemption', undefined, '1 preemption'],
    [1, 'context switch', 'context switches', '1 context switch'],
    [6, 'context switch', 'context switches', '6 context switches'],
  ])('plural(%i, %s, %s) is %s', (n, noun, nouns, expected) => {
    expect(plural(n, noun, nouns)).toBe(expected);
  });
});
