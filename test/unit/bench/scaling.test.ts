/** The scaling bench's options and table (bench/scaling.ts); the runs themselves are benchmarks. */
import { describe, expect, it } from 'vitest';
import { SCALING_DEFAULTS, busyShare, renderScalingTable, scalingOptions, type ScalingTable } from '../../../bench/scaling.js';
import type { StressResults } from '../../../src/campaign/stress_schema.js';

describe('scaling bench options', () => {
  it('defaults to 4 s cells over 64 KiB and 1 MiB pages', () => {
    expect(scalingOptions([])).toEqual(SCALING_DEFAULTS);
    expect(SCALING_DEFAULTS.importers).toEqual([1, 2, 4, 8]);
    expect(SCALING_DEFAULTS.engines).toEqual([1, 2]);
  });

  it('reads --seconds, --pages and repeated --param', () => {
    const o = scalingOptions(['--seconds', '1.5', '--pages', '64K,2M', '--param', 'burst=8', '--param', 'depth=4']);
    expect(o).toMatchObject({ seconds: 1.5, pageSizes: [64 << 10, 2 << 20], params: { burst: 8, depth: 4 } });
  });

  it('reads --revoke-every and --delay; cells run with a 10 ms period and no injected delays by default', () => {
    expect(SCALING_DEFAULTS).toMatchObject({ revokeEveryMs: 10, delay: 0 });
    expect(scalingOptions(['--revoke-every', '100ms', '--delay', '0.05'])).toMatchObject({ revokeEveryMs: 100, delay: 0.05 });
  });

  it('refuses a non-positive duration', () => {
    expect(() => scalingOptions(['--seconds', '0'])).toThrow(/--seconds/);
  });
});

describe('scaling table', () => {
  it('shows per-engine rates, ratios, busy shares and rates while busy, and — for a cell that cannot run', () => {
    const run = { trials: 2, revokes: 400, p50Ns: 316_000, p99Ns: 2_880_000, maxNs: 4_880_000, end: 'done', findings: [] };
    const t: ScalingTable = {
      seconds: 4,
      limits: new Map([[1 << 20, { bytesPerSec: 50e9, method: 'wasm memory.copy' }]]),
      cells: [
        { pageBytes: 1 << 20, importers: 1, engines: 1, run: { ...run, perEngine: [45e9], busy: [0.9] } },
        { pageBytes: 1 << 20, importers: 1, engines: 2, run: null },
        { pageBytes: 1 << 20, importers: 2, engines: 2, run: { ...run, perEngine: [25e9, 20e9], busy: [0.5, 0] } },
      ],
    };
    const lines = renderScalingTable(t).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toBe('| 1 MiB | 1 | 1 | 2 | 400 | 316 µs | 2.88 ms | 4.88 ms | 45.0 GB/s | 90 % | 90 % | 100 % |');
    expect(lines[3]).toBe('| 1 MiB | 1 | 2 | — | — | — | — | — | — | — | — | — |');
    expect(lines[4]).toContain('| 25.0 GB/s / 20.0 GB/s | 50 % / 40 % | 50 % / 0 % | 100 % / — |');
  });
});

describe('engine busy share', () => {
  const results = (wallMs: number, asleep: Partial<Record<'blockedLockMs' | 'blockedFenceMs' | 'blockedEventMs' | 'sleepMs', number>>) => ({
    wallMs,
    locks: { perActor: [{ actor: 'engine0', blockedLockMs: 0, blockedFenceMs: 0, blockedEventMs: 0, sleepMs: 0, ...asleep }] },
  }) as unknown as StressResults;

  it('is the wall time not spent asleep on any wait', () => {
    expect(busyShare(results(1000, { blockedEventMs: 150, blockedLockMs: 30, blockedFenceMs: 10, sleepMs: 10 }), 'engine0')).toBeCloseTo(0.8);
  });

  it('is 0 for an actor not in the run and clamps at 0..1', () => {
    expect(busyShare(results(1000, {}), 'engine1')).toBe(0);
    expect(busyShare(results(1000, { blockedEventMs: 1500 }), 'engine0')).toBe(0);
  });
});
