/**
 * A stress finding carries the plan its trial ran with (campaign/stress_plan.ts): a hunt's finding
 * from a result with a plan has it, one from a result without (the other executors) has none; the
 * `--json` document, the replay file (information only) and the text report's one line show it,
 * and the stalls that ended in its trial. The trial's own trace goes only with the finding handed
 * on for its artifacts; a trial whose threads outlived their termination has none, and its report
 * says so.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignJson } from '../../../src/campaign/campaign.js';
import { STRESS_TRACE_UNREAD, reportText } from '../../../src/campaign/finding_report.js';
import { takeTrial, type HuntFinding, type HuntReport, type HuntState } from '../../../src/campaign/hunt.js';
import { readReplayFile, replayFile } from '../../../src/campaign/replay_file.js';
import { formatStallRecords, formatStressPlan, stressPlanOf } from '../../../src/campaign/stress_plan.js';
import type { Finding, TrialResult } from '../../../src/exec/result.js';
import { resolveParams, scenarioActors } from '../../../src/exec/scenario.js';
import type { TraceEvent } from '../../../src/trace/ring.js';
import type { StallRecord, StressPlan } from '../../../src/exec/stress_stalls.js';
import { abbaNoCtx } from '../../../scenarios/abba-no-ctx.js';
import { tempDir } from '../../support/cli.js';

const plan: StressPlan = {
  delayChance: 0.2, maxDelaySpins: 20000,
  stalls: [[], [{ step: 3, runAhead: 0, budgetMs: 10 }, { step: 14, runAhead: 16, budgetMs: 10 }]],
};
const ended: StallRecord[] = [{ actor: 1, step: 20, held: 16, end: 'run-ahead' }, { actor: 1, step: 31, held: 0, end: 'none-can-run' }];
const finding: Finding = { kind: 'deadlock', title: 'deadlock in mutex_lock', code: 'deadlock', actor: 0, step: 9, obj: 1, message: 'INFO: task deadlock detected' };
const result = (extra: object = {}): TrialResult => ({ seed: 5, end: 'deadlock', steps: 9, findings: [finding], user: [], ...extra });

/** The hunt finding takeTrial makes of `r` found by `executor` (handed on), and the one the
 *  hunt keeps. */
function takenBoth(r: TrialResult, executor: 'inline' | 'stress'): { handed: HuntFinding; kept: HuntFinding } {
  const st: HuntState = { byTitle: new Map(), firstExpected: null, trials: 0, dropped: 0 };
  const [f] = takeTrial(st, { trial: 0, strategy: executor === 'stress' ? 'stress' : 'pct:2', result: r, decisions: [] }, 'deadlock', executor);
  return { handed: f!, kept: st.byTitle.get(finding.title)! };
}

/** The hunt finding takeTrial hands on for `r` found by `executor`. */
const taken = (r: TrialResult, executor: 'inline' | 'stress'): HuntFinding => takenBoth(r, executor).handed;

/** abba-no-ctx's actor names: a report without a re-run names the actors by them. */
const abbaNames = scenarioActors(abbaNoCtx, resolveParams(abbaNoCtx)).map((d) => d.name);

const ringEvents: TraceEvent[] = [{ seq: 1, actor: 0, op: 1, obj: 1, aux: 0, ret: 0, step: 1 }];

const report = (f: HuntFinding): HuntReport => ({
  scenario: 'abba-no-ctx', expect: 'deadlock', trials: 1, seconds: 0, findings: [f], firstExpected: 1, ok: true, dropped: 0, interrupted: false,
});

describe('a stress finding\'s plan', () => {
  it('goes with a hunt finding from a stress trial, and with none from another executor', () => {
    expect(taken(result({ plan, wallMs: 1, teardownMs: 0 }), 'stress').stressPlan).toEqual(plan);
    expect(taken(result({ plan, stallEnds: ended }), 'stress').stressStalls, 'and the stalls that ended').toEqual(ended);
    expect(taken(result(), 'inline')).not.toHaveProperty('stressPlan');
    expect(stressPlanOf(result())).toEqual({});
  });

  it('is in the --json document\'s finding, for a stress finding only', () => {
    const doc = (f: HuntFinding) => (campaignJson([{ report: report(f), artifacts: new Map(), reproduced: new Map() }])[0] as { findings: object[] }).findings[0];
    expect(doc(taken(result({ plan, stallEnds: ended }), 'stress'))).toMatchObject({ executor: 'stress', stressPlan: plan, stressStalls: ended });
    expect(doc(taken(result(), 'inline'))).not.toHaveProperty('stressPlan');
  });

  it('is in the replay file as information, with the stalls that ended, which read back', () => {
    const f = taken(result({ plan, stallEnds: ended }), 'stress');
    const doc = replayFile({
      scenario: abbaNoCtx, params: {}, executor: 'stress', strategy: 'stress', seed: 5, finding: f, decisions: [], stressPlan: f.stressPlan, stressStalls: f.stressStalls,
    });
    const p = join(tempDir(), 'x.replay.json');
    writeFileSync(p, JSON.stringify(doc));
    expect(readReplayFile(p).stressPlan).toEqual(plan);
    expect(readReplayFile(p).stressStalls).toEqual(ended);
    expect(replayFile({ scenario: abbaNoCtx, params: {}, executor: 'stress', strategy: 'stress', seed: 5, finding: f, decisions: [], stressStalls: [] }), 'none ended: no field')
      .not.toHaveProperty('stressStalls');
    expect(replayFile({ scenario: abbaNoCtx, params: {}, executor: 'inline', strategy: 'pct:2', seed: 5, finding: f, decisions: [] })).not.toHaveProperty('stressPlan');
  });

  it('is one line of the text report, naming each stall\'s actor, its yield and what it waited for', () => {
    const line = formatStressPlan(plan, ['a', 'b']);
    expect(line).toBe('stress plan: delays 0.2 up to 20000 spins; stalls: actor 1 (b) at its yield 3 until none can run, actor 1 (b) at its yield 14 until 16 others\' yields');
    expect(formatStressPlan({ delayChance: 0, maxDelaySpins: 0, stalls: [[], []] })).toBe('stress plan: no delays; no stalls');
    const text = (f: HuntFinding) => reportText({ scenario: abbaNoCtx, source: undefined, params: {}, finding: f }).split('\n');
    expect(text(taken(result({ plan }), 'stress'))).toContain(formatStressPlan(plan, abbaNames));
    expect(text(taken(result({ plan, stallEnds: ended }), 'stress'))).toContain(formatStallRecords(ended, abbaNames));
    expect(formatStallRecords(ended, ['a', 'b'])).toBe('stress stalls ended: actor 1 (b) at step 20 (run-ahead) after 16 others\' yields, actor 1 (b) at step 31 (none-can-run) after 0 others\' yields');
    expect(formatStallRecords([])).toBe('');
    expect(text(taken(result(), 'inline')).filter((l) => l.startsWith('stress plan:'))).toEqual([]);
  });

  it('hands its trial\'s trace on with the new finding only: the hunt keeps none, --json has none', () => {
    const { handed, kept } = takenBoth(result({ plan, ringEvents }), 'stress');
    expect(handed.stressTrace).toEqual(ringEvents);
    expect(kept, 'the finding a hunt report holds').not.toHaveProperty('stressTrace');
    expect(kept.stressPlan).toEqual(plan);
    for (const f of [handed, kept]) {
      const doc = campaignJson([{ report: report(f), artifacts: new Map(), reproduced: new Map() }]);
      expect(JSON.stringify(doc)).not.toContain('stressTrace');
    }
  });

  it('says, from a trial whose actor threads outlived their termination, that it has no trace', () => {
    const f = taken(result({ plan, stragglers: true }), 'stress');
    expect(f.stressStragglers).toBe(true);
    expect(f).not.toHaveProperty('stressTrace');
    const text = reportText({ scenario: abbaNoCtx, source: undefined, params: {}, finding: f }).split('\n');
    expect(text).toContain(STRESS_TRACE_UNREAD);
    expect(taken(result({ plan, ringEvents }), 'stress')).not.toHaveProperty('stressStragglers');
  });
});
