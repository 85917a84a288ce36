/** The stress status line's text. */
import { describe, expect, it } from 'vitest';
import { statusText } from '../../../src/cli/stress_status.js';

describe('stress status line', () => {
  it('shows progress, revokes, the revoke p99 and DMA throughput', () => {
    const s = statusText('stress-revoke', { elapsedMs: 1500, durationMs: 30_000, trials: 1, revokes: 120, revokeP99Ns: 4_730_000, dmaBytesPerSec: 4.01e10 });
    expect(s).toBe('stress-revoke 1.5/30.0 s  trials 1  revokes 120  revoke p99 4.73 ms  DMA 40.1 GB/s');
  });

  it('shows no p99 before the first revoke', () => {
    expect(statusText('x', { elapsedMs: 0, durationMs: 1000, trials: 0, revokes: 0, revokeP99Ns: 0, dmaBytesPerSec: 0 })).toContain('revoke p99 -');
  });
});
