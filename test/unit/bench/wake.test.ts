/** The wake bench (bench/wake.ts), briefly: a smoke test that it wakes a real sleeping thread and
 *  stops its threads; the figures themselves are benchmarks. */
import { describe, expect, it } from 'vitest';
import { wakeCost } from '../../../bench/wake.js';

describe('wake bench', () => {
  it.each([0, 2])('times wake calls that found the sleeper asleep, with %i napping threads', async (nappers) => {
    const c = await wakeCost(50, nappers, 5);
    expect(c).toMatchObject({ nappers, settleUs: 5 });
    expect(c.p50Us).toBeGreaterThan(0);
    expect(Number.isFinite(c.meanUs)).toBe(true);
  });

  it('refuses a wake count that is not a positive integer', async () => {
    await expect(wakeCost(0, 0, 5)).rejects.toThrow(/wakes: expected a positive integer/);
  });
});
