/** The wake bench (bench/wake.ts): it wakes a real sleeping thread, and stops its threads. */
import { describe, expect, it } from 'vitest';
import { wakeCost } from '../../../bench/wake.js';

describe('wake bench', () => {
  it.each([0, 2])('times wake calls that found the sleeper asleep, with %i napping threads', async (nappers) => {
    const c = await wakeCost(50, nappers, 5);
    expect(c).toMatchObject({ nappers, settleUs: 5 });
    expect(c.p50Us).toBeGreaterThan(0);
    expect(c.p50Us).toBeLessThanOrEqual(c.p90Us);
    expect(Number.isFinite(c.meanUs)).toBe(true);
  });
});
