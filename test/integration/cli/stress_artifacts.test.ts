/**
 * `dmabuf-harness stress` leaves, for a finding, what a hunt leaves of a stress finding's trial:
 * its report, with the trace tail of the stress run that found it, and that run's Perfetto trace
 * (`.stress-trace.json`, the actors' events as the trial's rings held them), under the artifact
 * directory (default runs/<timestamp>/ in the working directory), named in the summary and the
 * results. `--no-artifacts` writes none; neither does a clean run. An artifact directory that
 * cannot be made is refused before the run, writing nothing.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STRESS_RUN } from '../../../src/campaign/finding_report.js';
import { parseStressResults } from '../../../src/campaign/stress_schema.js';
import type { ChromeTrace } from '../../../src/trace/perfetto.js';
import { cliIn, cliInProcess, cliRuns, tempDir } from '../../support/cli.js';
import { expectRefusal } from '../../support/refusal.js';

/** invalidate-without-lock's vfio invalidates without the reservation lock in every trial. */
const SCENARIO = 'invalidate-without-lock';
const TITLE = 'lock-not-held in dma_buf_invalidate_mappings';
const SHORT = ['--duration', '500ms', '--warmup', '200ms'];

/** Every file under `dir`, relative to it. */
const filesUnder = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();

describe('a stress campaign finding', () => {
  it('writes its report and the stress run\'s trace under the default directory, named in the summary', { timeout: cliRuns(1) }, () => {
    const cwd = tempDir();
    const r = cliIn(cwd, 'stress', SCENARIO, ...SHORT, '--out', 'r.json');
    expect(r.code, r.stderr).toBe(1);
    const { findings } = parseStressResults('r.json', JSON.parse(readFileSync(join(cwd, 'r.json'), 'utf8')));
    const f = findings.find((x) => x.title === TITLE)!;
    expect(f.reportFile).toMatch(new RegExp(`^runs/[^/]+/${SCENARIO}/\\d{3}-.+\\.report\\.txt$`));
    expect(f.stressTraceFile).toBe(f.reportFile!.replace(/\.report\.txt$/, '.stress-trace.json'));
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining([`report: ${f.reportFile}`, `stress trace: ${f.stressTraceFile}`]));
    const trace = JSON.parse(readFileSync(join(cwd, f.stressTraceFile!), 'utf8')) as ChromeTrace;
    expect(trace.metadata['run']).toBe(STRESS_RUN);
    expect(trace.metadata['actors']).toEqual(['vfio', 'gpu0', 'gpu1', 'engine']);
    const tids = new Set(trace.traceEvents.filter((e) => e.ph !== 'M').map((e) => e.tid));
    expect(tids.size, 'the actors\' own events').toBeGreaterThan(1);
    const report = readFileSync(join(cwd, f.reportFile!), 'utf8').split('\n');
    const tail = report.findIndex((l) => l.startsWith(`trace tail of the ${STRESS_RUN} `));
    expect(tail, report.join('\n')).toBeGreaterThan(0);
    expect(report.slice(tail).some((l) => l.startsWith('>>>>>>') && l.includes(TITLE))).toBe(true);
  });

  it('writes nothing with --no-artifacts', { timeout: cliRuns(1) }, () => {
    const cwd = tempDir();
    const r = cliIn(cwd, 'stress', SCENARIO, ...SHORT, '--out', 'r.json', '--no-artifacts', '--json');
    expect(r.code, r.stderr).toBe(1);
    expect(filesUnder(cwd)).toEqual(['r.json']);
    const { findings } = parseStressResults('stdout', JSON.parse(r.stdout));
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(Object.keys(f)).toEqual(['kind', 'title', 'message', 'seed']);
  });
});

describe('a clean stress run', () => {
  it('writes no artifacts and makes no directory', { timeout: cliRuns(1) }, async () => {
    const dir = join(tempDir(), 'arts');
    const r = await cliInProcess('stress', 'stress-revoke', ...SHORT, '--artifacts-dir', dir, '--json');
    expect(r.code, r.stdout.slice(r.stdout.indexOf('findings'), 2000)).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('stress refuses an artifact directory it could not use, before the run', () => {
  it('under a regular file: ERR_OUTPUT naming --artifacts-dir, nothing written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), 'x');
    const arts = join(dir, 'plain', 'arts');
    const r = await cliInProcess('stress', SCENARIO, ...SHORT, '--artifacts-dir', arts, '--out', join(dir, 'r.json'));
    expectRefusal(r, 'ERR_OUTPUT', [`--artifacts-dir ${arts}`]);
    expect(filesUnder(dir)).toEqual(['plain']);
  });

  it('beside --no-artifacts: ERR_BAD_OPTION', async () => {
    const arts = join(tempDir(), 'arts');
    expectRefusal(await cliInProcess('stress', SCENARIO, ...SHORT, '--artifacts-dir', arts, '--no-artifacts'), 'ERR_BAD_OPTION', ['--artifacts-dir', '--no-artifacts']);
    expect(existsSync(arts)).toBe(false);
  });
});
