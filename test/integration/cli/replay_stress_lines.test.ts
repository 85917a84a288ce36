/**
 * `replay` of a file that carries a stress finding's plan and the stalls that ended in its trial
 * prints them as the finding's report does (stressLines: formatStressPlan, formatStallRecords),
 * naming the actors, and replays as before; a file without them prints neither line.
 */
import { describe, expect, it } from 'vitest';
import { formatStallRecords, formatStressPlan } from '../../../src/campaign/stress_plan.js';
import { resolveParams, scenarioActors } from '../../../src/exec/scenario.js';
import type { StallRecord, StressPlan } from '../../../src/exec/stress_stalls.js';
import { abbaNoCtx } from '../../../scenarios/abba-no-ctx.js';
import { cliInProcess, cliRuns } from '../../support/cli.js';
import { editJson, recordedReplay } from '../../support/refusal.js';

const plan: StressPlan = { delayChance: 0.2, maxDelaySpins: 20000, stalls: [[{ step: 3, runAhead: 16, budgetMs: 10 }], []] };
const stalls: StallRecord[] = [{ actor: 0, step: 12, held: 16, end: 'run-ahead' }, { actor: 1, step: 30, held: 2, end: 'none-can-run' }];
const names = scenarioActors(abbaNoCtx, resolveParams(abbaNoCtx)).map((a) => a.name);

describe('replay of a stress finding\'s file', () => {
  it('prints its plan and the stalls that ended, as the report does', { timeout: cliRuns(2) }, async () => {
    const file = await recordedReplay();
    editJson(file, (d) => ({ ...d, stressPlan: plan, stressStalls: stalls }));
    const r = await cliInProcess('replay', file);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain(formatStressPlan(plan, names));
    expect(lines).toContain(formatStallRecords(stalls, names));
  });

  it('prints neither for a file without them', { timeout: cliRuns(2) }, async () => {
    const r = await cliInProcess('replay', await recordedReplay());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('stress '))).toEqual([]);
  });
});
