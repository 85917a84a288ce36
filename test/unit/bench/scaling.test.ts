/** The scaling bench's options and table (bench/scaling.ts); the runs themselves are benchmarks. */
import { describe, expect, it } from 'vitest';
import {
  SCALING_DEFAULTS, hostLines, medianCell, renderScalingTable, scalingOptions, type CellRun, type ScalingTable,
} from '../../../bench/scaling.js';

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

  it('refuses a non-positive, non-finite or malformed duration', () => {
    expect(() => scalingOptions(['--seconds', '0'])).toThrow(/--seconds/);
    for (const bad of ['', 'Infinity', '1e3', '-2']) expect(() => scalingOptions(['--seconds', bad])).toThrow(/--seconds/);
  });

  it('reads --runs (one run a cell by default) and refuses a count that is not a positive integer', () => {
    expect(SCALING_DEFAULTS.runs).toBe(1);
    expect(scalingOptions(['--runs', '3']).runs).toBe(3);
    for (const bad of ['0', '1.5', 'x']) expect(() => scalingOptions(['--runs', bad])).toThrow(/--runs/);
  });

  it('reads --probe-seconds (5 s of host probes by default, 0 for none) and refuses a negative one', () => {
    expect(SCALING_DEFAULTS.probeSeconds).toBe(5);
    expect(scalingOptions(['--probe-seconds', '0']).probeSeconds).toBe(0);
    for (const bad of ['-1', 'x', '', 'Infinity']) expect(() => scalingOptions(['--probe-seconds', bad])).toThrow(/--probe-seconds/);
  });
});

describe('scaling table', () => {
  it('shows per-engine rates, ratios, time in a job and the in-job rate, CPU and waking shares and rates per CPU-second, and — for a cell that cannot run or a share not reported', () => {
    const run = { trials: 2, revokes: 400, p50Ns: 316_000, p99Ns: 2_880_000, maxNs: 4_880_000, end: 'done', findings: [] };
    const t: ScalingTable = {
      seconds: 4,
      limits: new Map([[1 << 20, { bytesPerSec: 50e9, method: 'wasm memory.copy' }]]),
      probes: new Map(),
      cells: [
        { pageBytes: 1 << 20, importers: 1, engines: 1, run: { ...run, perEngine: [45e9], inJob: { share: 0.9, bytesPerSec: 50e9 }, onCpu: [0.9], waitingCpu: [0.05], waking: [0.012] }, runRates: [40e9, 45e9, 47e9] },
        { pageBytes: 1 << 20, importers: 1, engines: 2, run: null, runRates: [] },
        { pageBytes: 1 << 20, importers: 2, engines: 2, run: { ...run, perEngine: [25e9, 20e9], inJob: { share: 0.45, bytesPerSec: 50e9 }, onCpu: [0.5, 0], waitingCpu: [0.25, 0], waking: [0.1, 0] }, runRates: [22.5e9] },
        { pageBytes: 1 << 20, importers: 4, engines: 1, run: { ...run, perEngine: [30e9], inJob: null, onCpu: [null], waitingCpu: [null], waking: [0] }, runRates: [30e9] },
      ],
    };
    const lines = renderScalingTable(t).split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[2]).toBe('| 1 MiB | 1 | 1 | 2 | 400 | 316 µs | 2.88 ms | 4.88 ms | 45.0 GB/s | 90 % | 90.0 % | 100 % | 90.0 % | 5.0 % | 1.2 % | 100 % | 80, 90, 94 |');
    expect(lines[3]).toBe('| 1 MiB | 1 | 2 | — | — | — | — | — | — | — | — | — | — | — | — | — | — |');
    expect(lines[4]).toContain('| 25.0 GB/s / 20.0 GB/s | 50 % / 40 % | 45.0 % | 100 % | 50.0 % / 0.0 % | 25.0 % / 0.0 % | 10.0 % / 0.0 % | 100 % / — | 45 |');
    expect(lines[5]).toContain('| 30.0 GB/s | 60 % | — | — | — | — | 0.0 % | — | 60 |');
    for (const l of lines) expect(l.split(' | ')).toHaveLength(lines[0]!.split(' | ').length);
  });
});

describe('host line', () => {
  const summary = (median: number, slowShare: number, longestSlowSec: number) => ({
    probes: 50, best: 110e9, median: median * 1e9, lowest: 70e9, slowShare, longestSlowSec, longestSlowAtSec: longestSlowSec > 0 ? 1 : NaN,
  });
  const table = (probes: ScalingTable['probes']): ScalingTable => ({ seconds: 4, limits: new Map(), probes, cells: [] });

  it('says per page size what the probes before and after its cells saw', () => {
    const [line] = hostLines(table(new Map([[65536, [summary(108.9, 0, 0), summary(88, 0.5, 2.4)]]])), 5);
    expect(line).toContain('5 s of ~0.1 s copy probes');
    expect(line).toContain('64 KiB pages before the cells: median 99 % of the best (110 GB/s), 0 % of 50 probes below 90 %;');
    expect(line).toContain('after them: median 80 % of the best (110 GB/s), 50 % of 50 probes below 90 %, longest stretch 2.4 s.');
  });

  it('is absent when no probes ran', () => {
    expect(hostLines(table(new Map([[65536, []]])), 0)).toEqual([]);
  });
});

describe('a cell from several runs', () => {
  const cellRun = (perEngine: number[], over: Partial<CellRun> = {}): CellRun => ({
    trials: 1, revokes: 10, p50Ns: 1, p99Ns: 2, maxNs: 3, perEngine, onCpu: perEngine.map(() => 1), waitingCpu: perEngine.map(() => 0), waking: perEngine.map(() => 0), inJob: null, end: 'done', findings: [], ...over,
  });
  const cell = (run: CellRun) => ({ pageBytes: 65536, importers: 2, engines: run.perEngine.length, run, runRates: [run.perEngine.reduce((x, y) => x + y) / run.perEngine.length] });

  it('shows the median run by mean rate per engine, and every run\'s rate in run order', () => {
    const runs = [cell(cellRun([90, 10])), cell(cellRun([30, 30])), cell(cellRun([80, 80]))];
    const m = medianCell(runs);
    expect(m.run?.perEngine).toEqual([90, 10]);
    expect(m.runRates).toEqual([50, 30, 80]);
  });

  it('takes the lower middle run of an even count', () => {
    expect(medianCell([cell(cellRun([4])), cell(cellRun([1])), cell(cellRun([3])), cell(cellRun([2]))]).run?.perEngine).toEqual([2]);
  });

  it('sorts a run with a finding or a bad end first, so it shows unless most runs were clean', () => {
    const bad = cell(cellRun([100], { findings: ['use-after-free'] }));
    expect(medianCell([bad, cell(cellRun([50])), cell(cellRun([60]))]).run?.perEngine).toEqual([50]);
    expect(medianCell([bad, cell(cellRun([50]))]).run?.findings).toEqual(['use-after-free']);
    expect(medianCell([cell(cellRun([70], { end: 'stalled' })), cell(cellRun([50], { end: 'stalled' })), cell(cellRun([60]))]).run?.end).toBe('stalled');
  });

  it('keeps a cell that cannot run as it is', () => {
    const none = { pageBytes: 65536, importers: 1, engines: 2, run: null, runRates: [] };
    expect(medianCell([none, none])).toEqual(none);
  });
});
