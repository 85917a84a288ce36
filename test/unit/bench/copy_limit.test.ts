/** The scaling bench's copy limit copies the way the cells' jobs do, and is the best copy of the run. */
import { describe, expect, it } from 'vitest';
import { bestOfRun, jobDirection } from '../../../bench/copy_limit.js';
import { bestInProcessCopy } from '../../../bench/measure.js';

describe('copy limit', () => {
  it.each([
    [{}, 'write'], [{ usage: 'write' }, 'write'], [{ usage: 'bookkeep' }, 'write'], [{ usage: 'kernel' }, 'write'], [{ usage: 'read' }, 'read'],
  ])('takes the direction of stress-revoke jobs under %j: %s', (params, direction) => {
    expect(jobDirection(params)).toBe(direction);
  });

  it.each(['write', 'read'] as const)('measures a %s pattern', (direction) => {
    const r = bestInProcessCopy(4096, 2000, 8, direction);
    expect(r.bytesPerSec).toBeGreaterThan(0);
    expect(['wasm memory.copy', 'TypedArray#set', 'TypedArray#copyWithin']).toContain(r.method);
  });
});

describe('bestOfRun', () => {
  const limit = { bytesPerSec: 100e9, method: 'wasm memory.copy' };
  it.each([
    ['a faster probe', [90e9, 112e9], { bytesPerSec: 112e9, method: 'host probe' }],
    ['slower probes', [90e9, 99e9], limit],
    ['no probes', [], limit],
  ] as const)('judges against the best copy of the run: %s', (_name, probes, want) => {
    expect(bestOfRun([limit], probes)).toEqual(want);
  });

  it('takes the faster of the limits measured before and after the cells', () => {
    const after = { bytesPerSec: 104e9, method: 'TypedArray#set' };
    expect(bestOfRun([limit, after], [])).toEqual(after);
    expect(bestOfRun([after, limit], [])).toEqual(after);
  });
});
