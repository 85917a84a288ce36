/** Reading kernel CPU lists for pinning (exec/affinity.ts); pinning itself is an integration test. */
import { describe, expect, it } from 'vitest';
import { parseCpuList } from '../../../src/exec/affinity.js';

describe('parseCpuList', () => {
  it.each([
    ['0', [0]],
    ['0-1', [0, 1]],
    ['0-3,8,10-11', [0, 1, 2, 3, 8, 10, 11]],
    ['4-5\n', [4, 5]],
  ])('reads %j', (list, cpus) => {
    expect(parseCpuList(list)).toEqual(cpus);
  });

  it.each(['', 'all', '0-', '1,,2', 'ff'])('gives [] for %j, which is not a CPU list', (list) => {
    expect(parseCpuList(list)).toEqual([]);
  });
});
