import { describe, it } from 'vitest';
import { expectCleanStress } from '../support/stress.js';

describe('ww_mutex stress (kernel test-ww_mutex.c W6–W8), 10 s each', () => {
  it.each([
    ['inorder', true], ['inorder', false], ['reorder', true], ['reorder', false],
  ] as const)('W6/W7 %s (wait-die %s): 16 locks, 4 threads, -EDEADLK injection: progress and a clean end', async (mode, waitDie) => {
    await expectCleanStress(mode, waitDie, 10_000);
  });

  it.each([true, false])('W8 all (wait-die %s): 2046 locks, 6 threads inorder/reorder/one', async (waitDie) => {
    await expectCleanStress('all', waitDie, 10_000, 6, 2046);
  });
});
