/**
 * A stress finding's artifacts carry its trial's own trace (HuntFinding.stressTrace, from the
 * rings the stress trial left): a `.stress-trace.json` beside the re-run's trace, with the stall
 * end and its reason, and a second tail in the report; each trace and tail names the run it is
 * of, and the scenario's actors when there was no re-run. The replay file carries the stalls that
 * ended. An inline finding has no such file. A hunt hands the trace on with the new finding
 * (onFinding) and keeps none in its report.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArtifactWriter } from '../../../src/campaign/artifact_writer.js';
import { STRESS_TRIAL_RUN } from '../../../src/campaign/finding_report.js';
import { hunt, takeTrial, type HuntFinding, type HuntState } from '../../../src/campaign/hunt.js';
import { readReplayFile } from '../../../src/campaign/replay_file.js';
import { StressExecutor, type StressResult } from '../../../src/exec/stress.js';
import { EV_STALL_END, opName, opObjectKind } from '../../../src/trace/ops.js';
import type { ChromeTrace } from '../../../src/trace/perfetto.js';
import { withExecutor } from '../../support/executor.js';
import { tempDir } from '../../support/cli.js';
import { abbaNoCtx } from '../../../scenarios/abba-no-ctx.js';
import { findingStorm } from '../../fixtures/stress/finding_storm.js';

/** The stall end a dump or trace shows for `end`. */
const token = (end: string): string => `${opName(EV_STALL_END)} ${opObjectKind(EV_STALL_END)} ${end}`;

/** The hunt finding of stress trial result `r` (as a hunt takes it). */
function taken(r: StressResult): HuntFinding {
  const st: HuntState = { byTitle: new Map(), firstExpected: null, trials: 0, dropped: 0 };
  return takeTrial(st, { trial: 0, strategy: 'stress', result: r, decisions: r.decisions ?? [] }, findingStorm.expect, 'stress')[0]!;
}

describe('a stress finding\'s artifacts', () => {
  it('carry its trial\'s own trace, with the stall that ended and its reason', async () => {
    // Actor 0 stalls at its first yield, before it arrives: the others spin without a yield
    // waiting for it, able to run all along, so the stall ends on its budget (as in
    // stress_finding_plan.test.ts). Its threads spin for each other: the controlled executor
    // cannot follow them, so the artifacts have no re-run, as for a scheduledRules refusal.
    const stallPoints = [[{ step: 0, runAhead: 0, budgetMs: 10 }], [], [], []];
    const ex = new StressExecutor(findingStorm, { durationMs: 20_000, delayChance: 0, stallPoints });
    const r = await withExecutor(ex, (e) => e.runTrial(1));
    expect(r.stallEnds?.map((s) => s.end)).toEqual(['budget']);
    const f = taken(r);
    const paths = await new ArtifactWriter(tempDir()).writeFinding({ scenario: findingStorm, source: undefined, params: {}, finding: f, stressReproduced: false });
    const trace = JSON.parse(readFileSync(paths.stressTraceFile!, 'utf8')) as ChromeTrace;
    expect(trace.metadata['run']).toBe(STRESS_TRIAL_RUN);
    expect(trace.metadata['actors'], 'no re-run: the scenario\'s actor names').toEqual(['storm0', 'storm1', 'storm2', 'storm3']);
    const ends = trace.traceEvents.filter((e) => e.name === token('budget'));
    expect(ends.map((e) => [e.tid, e.args?.['reason']])).toEqual([[1, 'budget']]);
    const report = readFileSync(paths.reportFile, 'utf8').split('\n');
    const tail = report.findIndex((l) => l.startsWith(`trace tail of the ${STRESS_TRIAL_RUN} `));
    expect(tail, report.join('\n')).toBeGreaterThan(0);
    expect(report.slice(tail).some((l) => l.includes(` ${token('budget')} `)), report.join('\n')).toBe(true);
    expect(report.slice(tail).some((l) => l.startsWith('>>>>>>') && l.includes(f.title))).toBe(true);
    expect(readReplayFile(paths.replayFile).stressStalls).toEqual(r.stallEnds);
  });

  it('come from the finding a stress hunt hands on: its report keeps no trace', async () => {
    const handed: HuntFinding[] = [];
    const h = await hunt(findingStorm, { trials: 1, timeMs: 60_000, seed: 3, executor: 'stress', onFinding: (f) => { handed.push(f); } });
    expect(handed.map((f) => f.title)).toEqual(h.findings.map((f) => f.title));
    expect(handed.every((f) => f.stressTrace !== undefined && f.stressTrace.length > 0)).toBe(true);
    for (const f of h.findings) expect(f).not.toHaveProperty('stressTrace');
  });

  it('of an inline finding have no stress trace', async () => {
    const h = await hunt(abbaNoCtx, { trials: 200, timeMs: 60_000, seed: 1, executor: 'inline' });
    const f = h.findings[0]!;
    const dir = tempDir();
    const paths = await new ArtifactWriter(dir).writeFinding({ scenario: abbaNoCtx, source: undefined, params: {}, finding: f });
    expect(paths).not.toHaveProperty('stressTraceFile');
    expect(existsSync(paths.reportFile.replace(/\.report\.txt$/, '.stress-trace.json'))).toBe(false);
  });
});
