/**
 * A `stress` timing campaign's finding leaves what a hunt's stress finding leaves of its trial
 * (campaign/stress_artifacts.ts): a report whose trace tail is the stress run's, the finding
 * marked, and a `.stress-trace.json` naming that run — no replay file and no re-run trace. A
 * trial whose threads outlived their termination has no trace: no `.stress-trace.json`, and its
 * report says so.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STRESS_RUN, STRESS_RUN_TRACE_UNREAD, STRESS_TRACE_UNREAD } from '../../../src/campaign/finding_report.js';
import { stressRunFindings, writeStressArtifacts } from '../../../src/campaign/stress_artifacts.js';
import type { StressFound } from '../../../src/campaign/stress_run.js';
import type { Finding } from '../../../src/exec/result.js';
import type { StressResult } from '../../../src/exec/stress.js';
import type { ChromeTrace } from '../../../src/trace/perfetto.js';
import type { TraceEvent } from '../../../src/trace/ring.js';
import { abbaNoCtx } from '../../../scenarios/abba-no-ctx.js';
import { tempDir } from '../../support/cli.js';

const finding: Finding = { kind: 'deadlock', title: 'deadlock in mutex_lock', code: 'deadlock', actor: 1, step: 2, obj: 1, message: 'INFO: task deadlock detected' };
const ringEvents: TraceEvent[] = [
  { seq: 1, actor: 0, op: 1, obj: 1, aux: 0, ret: 0, step: 1 },
  { seq: 2, actor: 1, op: 1, obj: 2, aux: 0, ret: 0, step: 2 },
];
/** Trial 3 of a run, seed 7, found `finding`; `extra` adds to its result. */
const found = (extra: Partial<StressResult>): StressFound => ({
  trial: 3, result: { seed: 7, end: 'deadlock', steps: 2, findings: [finding], user: [], wallMs: 1, teardownMs: 0, decisions: [], ...extra },
});

describe('a stress campaign finding\'s artifacts', () => {
  it('are its report, with the stress run\'s trace tail, and the stress run\'s Perfetto trace', async () => {
    const dir = tempDir();
    const [paths] = await writeStressArtifacts(dir, { scenario: abbaNoCtx, params: {}, found: found({ ringEvents }) });
    expect(dirname(paths!.reportFile)).toBe(`${dir}/${abbaNoCtx.name}`);
    expect(readdirSync(dirname(paths!.reportFile)).sort()).toEqual([basename(paths!.reportFile), basename(paths!.stressTraceFile!)].sort());
    expect(paths!.stressTraceFile!.endsWith('.stress-trace.json')).toBe(true);
    const trace = JSON.parse(readFileSync(paths!.stressTraceFile!, 'utf8')) as ChromeTrace;
    expect(trace.metadata['run']).toBe(STRESS_RUN);
    expect(trace.metadata['seed']).toBe(7);
    expect(trace.metadata['actors']).toEqual(['T1', 'T2']);
    const report = readFileSync(paths!.reportFile, 'utf8').split('\n');
    const tail = report.findIndex((l) => l.startsWith(`trace tail of the ${STRESS_RUN} `));
    expect(tail, report.join('\n')).toBeGreaterThan(0);
    expect(report.slice(tail).some((l) => l.startsWith('>>>>>>') && l.includes(finding.title))).toBe(true);
    expect(report.some((l) => l.startsWith('trace tail of the controlled'))).toBe(false);
  });

  it('say, for a trial whose threads outlived their termination, that there is no trace', async () => {
    const dir = tempDir();
    const [paths] = await writeStressArtifacts(dir, { scenario: abbaNoCtx, params: {}, found: found({ stragglers: true }) });
    expect(paths).not.toHaveProperty('stressTraceFile');
    expect(readdirSync(dirname(paths!.reportFile))).toEqual([basename(paths!.reportFile)]);
    const report = readFileSync(paths!.reportFile, 'utf8').split('\n');
    expect(report).toContain(STRESS_RUN_TRACE_UNREAD);
    expect(report).not.toContain(STRESS_TRACE_UNREAD);
  });

  it('come from findings that say which trial of the run found them, under the uniform schedule', () => {
    const [f] = stressRunFindings(found({ ringEvents }));
    expect(f).toMatchObject({ title: finding.title, trial: 3, seed: 7, executor: 'stress', strategy: 'uniform', stressTrace: ringEvents });
    expect(f).not.toHaveProperty('stressPlan');
    expect(stressRunFindings(found({ stragglers: true }))[0]).toMatchObject({ stressStragglers: true });
  });
});
