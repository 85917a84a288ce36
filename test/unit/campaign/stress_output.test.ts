/**
 * Stress results, plot and comparison from synthetic numbers: the document validates against its
 * schema (and the committed JSON Schema is the generated one), the SVG is well-formed with one
 * series per operation and per engine, and --compare reports B/A ratios, also against version 1
 * and 2 files (which lack the warm-up length and the wake-ups).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PHASE_NAMES } from '../../../src/kernel/phases.js';
import { compareStress, formatCompare, paramDiffs } from '../../../src/campaign/stress_compare.js';
import { parseStressResults, readStressResults, stressResultsJsonSchema } from '../../../src/campaign/stress_schema.js';
import { plottedSlots, renderStressSvg } from '../../../src/campaign/stress_svg.js';
import { HarnessError } from '../../../src/errno/errors.js';
import { ROOT } from '../../support/cli.js';
import { fakeResults } from '../../support/stress_results.js';
import { checkSvg } from '../../support/svg.js';

describe('stress results document', () => {
  it('validates against its schema, with exact max and sensible percentiles', () => {
    const r = parseStressResults('fake', JSON.parse(JSON.stringify(fakeResults())));
    const rev = r.operations.revoke!;
    expect(rev.count).toBe(100);
    expect(rev.maxNs).toBe(30_000);
    expect(rev.p50Ns).toBeGreaterThan(19_000);
    expect(rev.p50Ns).toBeLessThan(21_000);
    expect(r.operations.pin!.count).toBe(0);
    expect(r.dma.engines).toEqual([{ actor: 'engine0', bytes: 1e9, bytesPerSec: 5e8, jobs: 100 }]);
    expect(r.series.engines[0]!.bytesPerSec).toHaveLength(20);
  });

  it('refuses a malformed document with one line naming the field', () => {
    const bad = { ...fakeResults(), wallMs: -1 };
    expect(() => parseStressResults('x.json', bad)).toThrow(HarnessError);
    expect(() => parseStressResults('x.json', bad)).toThrow(/^x\.json: wallMs: /);
    expect(() => parseStressResults('x.json', { format: 'nope' })).toThrow(/x\.json: format/);
  });

  it('carries each actor thread\'s CPU times, and none (threads: null) when one thread could not read its own', () => {
    expect(fakeResults().threads).toMatchObject({ source: 'schedstat', perActor: [{ actor: 'vfio', cpuMs: 100, slices: 1000 }, {}, { actor: 'engine0', cpuMs: 1800 }] });
    const unreported = fakeResults(10, 1e9, 2000, 1);
    expect(unreported.threads).toBeNull();
    expect(() => parseStressResults('fake', JSON.parse(JSON.stringify(unreported)))).not.toThrow();
  });

  it('docs/stress-results.schema.json is the schema the code generates', () => {
    const committed = JSON.parse(readFileSync(join(ROOT, 'docs/stress-results.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(stressResultsJsonSchema())));
  });
});

describe('stress plot', () => {
  it('is well-formed SVG with one series per operation and per engine', () => {
    const ids = checkSvg(renderStressSvg(fakeResults()));
    expect(ids.get('stress-plot')?.name).toBe('svg');
    for (const op of PHASE_NAMES) expect(ids.has(`lat-${op}`), op).toBe(true);
    expect(ids.get('lat-revoke')!.children).toBeGreaterThan(0);
    expect(ids.get('lat-pin')!.attrs['data-count']).toBe('0');
    expect(ids.get('lat-pin')!.children).toBe(0);
    expect(ids.get('tput-engine0')!.children).toBe(1);
  });

  it.each([
    ['a 17 ms closing slot is left out', [60, 70, 24], 0.217, [[0.05, 60], [0.15, 70]]],
    ['a 60 ms closing slot is drawn at its middle', [60, 70, 50], 0.26, [[0.05, 60], [0.15, 70], [0.23, 50]]],
    ['a run shorter than one slot keeps its one slot', [40], 0.03, [[0.015, 40]]],
  ])('plots throughput slots at their middles: %s', (_name, rates, wallS, want) => {
    const got = plottedSlots(rates as number[], 0.1, wallS as number);
    expect(got.map(([t, r]) => [Number(t.toFixed(3)), r])).toEqual(want);
  });

  it.each([
    ['a left-out closing slot', 2017, false],
    ['a drawn slot', 2080, true],
  ])('scales the throughput axis to the drawn points: a spike in %s', (_name, wallMs, scaled) => {
    const r = fakeResults();
    const engines = r.series.engines.map((e) => ({ ...e, bytesPerSec: [...e.bytesPerSec.slice(0, 20), 1e11] }));
    const svg = renderStressSvg({ ...r, wallMs, series: { ...r.series, engines } });
    expect(svg.includes('>100 GB/s<')).toBe(scaled);
  });

  it('escapes text from the results', () => {
    const r = { ...fakeResults(), scenario: 'a<b>&"c"' };
    expect(() => checkSvg(renderStressSvg(r))).not.toThrow();
  });
});

/** A temporary file holding `doc`; returns its path. */
function file(name: string, doc: object): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cmp-')), name);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

/** fakeResults() as a file of `version` wrote it: 3 lacks the threads' CPU times, 2 also the
 *  wake-ups, 1 also the warm-up. */
function olderDoc(version: 1 | 2 | 3 | 4): Record<string, unknown> {
  const r = fakeResults();
  const perActor = r.locks.perActor.map(({ wakes: _w, wakeMs: _m, ...rest }) => rest);
  const doc: Record<string, unknown> = version >= 3 ? { ...r, version } : { ...r, version, locks: { ...r.locks, perActor } };
  delete doc.scenarioRevision;
  if (version === 4) return doc;
  delete doc.threads;
  if (version === 1) delete doc.warmupMs;
  return doc;
}

describe('stress --compare', () => {
  it('shows both runs with B/A ratios', () => {
    const a = fakeResults(10, 1e9);
    const b = fakeResults(20, 2e9);
    const rows = compareStress(a, b);
    const p99 = rows.find((r) => r.metric === 'revoke p99')!;
    expect(p99.ratio).toBe('2.00×');
    expect(rows.find((r) => r.metric === 'dma engine0')!.ratio).toBe('2.00×');
    expect(rows.find((r) => r.metric === 'pin p50')).toBeUndefined();
    const text = formatCompare('a.json', 'b.json', a, b);
    expect(text).toContain('same scenario and parameters');
    expect(text).toMatch(/revoke p99\s+\S+ µs\s+\S+ µs\s+2\.00×/);
  });

  it('splits DMA into the engines\' time in a job and their rate in one, for files of any version', () => {
    const v1 = readStressResults(file('v1.json', olderDoc(1)));
    // fakeResults(scale): 100 jobs of scale × 2.01 µs on average in a 2 s run moving 1 GB.
    const rows = compareStress(fakeResults(4000), fakeResults(2000));
    expect(rows.find((r) => r.metric === 'dma in a job %')).toMatchObject({ a: '40.2 %', b: '20.1 %', ratio: '0.50×' });
    expect(rows.find((r) => r.metric === 'dma rate in a job')!.ratio).toBe('2.00×');
    // The version 1 document is fakeResults() (scale 10): 100 jobs of 20.1 µs on average.
    expect(compareStress(v1, fakeResults(4000)).find((r) => r.metric === 'dma in a job %')).toMatchObject({ a: '0.1 %', b: '40.2 %' });
  });

  it('shows - for a run where no DMA job ran', () => {
    const r = fakeResults(4000);
    const idle = { ...r, operations: { ...r.operations, 'dma-job': { ...r.operations['dma-job']!, count: 0 } } };
    expect(compareStress(idle, r).find((x) => x.metric === 'dma in a job %')).toMatchObject({ a: '-', b: '40.2 %', ratio: '-' });
    expect(compareStress(idle, r).find((x) => x.metric === 'dma rate in a job')).toMatchObject({ a: '-', ratio: '-' });
  });

  it('shows the warm-up lengths, and - for a version 1 file that does not record one', () => {
    const v1 = readStressResults(file('v1.json', olderDoc(1)));
    const v4 = readStressResults(file('v4.json', { ...fakeResults(), warmupMs: 1200 }));
    const warm = (a: typeof v1, b: typeof v1) => compareStress(a, b).find((r) => r.metric === 'warm-up s')!;
    expect(warm(v1, v4)).toMatchObject({ a: '-', b: '1.20', ratio: '-' });
    expect(warm(readStressResults(file('a.json', fakeResults())), v4).ratio).toBe('2.00×');
  });

  it.each([
    ['wake-ups /s', '200', '400', '2.00×'],
    ['waking ms/s', '100', '100', '1.00×'],
  ])('compares %s per second, and shows - for a version 2 file that does not record them', (metric, a, b, ratio) => {
    const v2 = readStressResults(file('v2.json', olderDoc(2)));
    const v4 = readStressResults(file('v4.json', fakeResults()));
    const double = fakeResults(10, 1e9, 1000);
    const of = (x: typeof v2, y: typeof v2) => compareStress(x, y).find((r) => r.metric === metric)!;
    expect(of(v4, double)).toMatchObject({ a, b, ratio });
    expect(of(v2, v4)).toMatchObject({ a: '-', b: a, ratio: '-' });
  });

  it.each([
    ['on a CPU ms/s', '1100', '1.00×'],
    ['waiting for a CPU ms/s', '70', '1.00×'],
  ])('compares %s over every actor, and shows - for a version 3 file or an OS that does not report it', (metric, a, ratio) => {
    const v3 = readStressResults(file('v3.json', olderDoc(3)));
    const v4 = readStressResults(file('v4.json', fakeResults()));
    const of = (x: typeof v3, y: typeof v3) => compareStress(x, y).find((r) => r.metric === metric)!;
    expect(of(v4, fakeResults(10, 1e9, 1000))).toMatchObject({ a, b: a, ratio });
    expect(of(v3, v4)).toMatchObject({ a: '-', b: a, ratio: '-' });
    expect(of(v4, { ...fakeResults(), threads: null })).toMatchObject({ a, b: '-', ratio: '-' });
  });

  it('refuses a version it does not know, naming the field', () => {
    const v9 = file('v9.json', { ...fakeResults(), version: 9 });
    expect(() => readStressResults(v9)).toThrow(HarnessError);
    expect(() => readStressResults(v9)).toThrow(/v9\.json: version: /);
  });

  it('refuses a version 2 file that carries version 3 fields, naming the field', () => {
    const v2 = file('v2.json', { ...olderDoc(3), version: 2 });
    expect(() => readStressResults(v2)).toThrow(/v2\.json: locks\.perActor\.0: /);
  });

  it('refuses a version 3 file that carries version 4 fields, naming the field', () => {
    const v3 = file('v3.json', { ...olderDoc(4), version: 3 });
    expect(() => readStressResults(v3)).toThrow(/v3\.json: .*threads/);
  });

  it('refuses a version 4 file that carries version 5 fields, naming the field', () => {
    const v4 = file('v4.json', { ...fakeResults(), version: 4 });
    expect(() => readStressResults(v4)).toThrow(/v4\.json: .*scenarioRevision/);
  });

  it('lists a scenario revision that differs, and - for a version 4 file that does not record one', () => {
    const v4 = readStressResults(file('v4.json', olderDoc(4)));
    expect(paramDiffs(v4, fakeResults())).toContain('scenario revision: - → 2 (the same parameters may mean different work)');
    expect(paramDiffs({ ...fakeResults(), scenarioRevision: 1 }, fakeResults())[0]).toMatch(/^scenario revision: 1 → 2/);
    expect(paramDiffs(fakeResults(), fakeResults())).toEqual([]);
  });

  it('lists parameters that differ', () => {
    const b = { ...fakeResults(), params: { importers: 4, engines: 1 } };
    expect(formatCompare('a', 'b', fakeResults(), b)).toContain('importers: 1 → 4');
  });

  it('lists a page size that differs once, also when it is a scenario parameter', () => {
    const a = { ...fakeResults(), params: { pageBytes: 65536 }, pageBytes: 65536 };
    const b = { ...fakeResults(), params: { pageBytes: 131072 }, pageBytes: 131072 };
    expect(paramDiffs(a, b)).toEqual(['pageBytes: 65536 → 131072']);
    expect(paramDiffs(fakeResults(), { ...fakeResults(), pageBytes: 4096 })).toEqual([`pageBytes: ${1 << 20} → 4096`]);
  });
});
