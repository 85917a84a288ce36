/** The stress status line: its text, and where it is drawn. */
import { describe, expect, it } from 'vitest';
import type { StressSnapshot } from '../../../src/campaign/stress_run.js';
import { statusLine, statusText } from '../../../src/cli/stress_status.js';
import { memoryIo } from '../../support/cli.js';

const SNAP: StressSnapshot = { elapsedMs: 1500, durationMs: 30_000, trials: 1, revokes: 120, revokeP99Ns: 4_730_000, dmaBytesPerSec: 4.01e10 };

describe('stress status line', () => {
  it('shows progress, revokes, the revoke p99 and DMA throughput', () => {
    const s = statusText('stress-revoke', SNAP);
    expect(s).toBe('stress-revoke 1.5/30.0 s  trials 1  revokes 120  revoke p99 4.73 ms  DMA 40.1 GB/s');
  });

  it('shows no p99 before the first revoke', () => {
    expect(statusText('x', { elapsedMs: 0, durationMs: 1000, trials: 0, revokes: 0, revokeP99Ns: 0, dmaBytesPerSec: 0 })).toContain('revoke p99 -');
  });

  it.each([[true, true], [false, true], [true, false]])('is redrawn in place on its stream only when enabled (%s) on a terminal (%s)', (enabled, tty) => {
    const { stderr } = memoryIo({ tty });
    const line = statusLine(stderr, enabled, 'stress-revoke');
    line.update(SNAP);
    line.stop();
    const drawn = enabled && tty;
    expect(stderr.text).toBe(drawn ? `\r\x1b[K${statusText('stress-revoke', SNAP)}\r\x1b[K` : '');
  });
});
