/**
 * A scenario's scheduledRules (what makes its trials end under the executors that schedule every
 * step) hold for the runs those executors make, checked before anything runs in the command's own
 * terms — hunt names the --param, replay and shrink the replay file's field — and not for a stress
 * hunt, which runs stress-revoke's free-running defaults — whose findings are then not re-run
 * under controlled (it would refuse them) but written as found, not reproduced.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, cli, cliInProcess, cliRuns, freshScenarioName, tempDir } from '../../support/cli.js';
import { editJson, expectRefusal, recordedReplay } from '../../support/refusal.js';
import { writeUserScenario } from '../../support/user_scenario.js';

const STRESS_REVOKE = join(ROOT, 'dist/scenarios/stress-revoke.js');

describe('hunt of stress-revoke, whose scheduledRules want both jobs and rounds', () => {
  it('runs its defaults under --executor stress', () => {
    const r = cli('hunt', STRESS_REVOKE, '--executor', 'stress', '--trials', '3', '--time', '2s', '--no-artifacts');
    expect(r.code, r.stderr).toBe(0);
  });

  it.each(['inline', 'controlled'])('refuses --param rounds=3 alone under --executor %s, naming the --param', async (executor) => {
    const r = await cliInProcess('hunt', STRESS_REVOKE, '--executor', executor, '--param', 'rounds=3', '--no-artifacts');
    expectRefusal(r, 'ERR_BAD_OPTION', ['--param rounds=3', 'jobs=0']);
  });
});

describe('replay and shrink refuse a replay file whose params its scenario\'s scheduledRules refuse', () => {
  it.each(['replay', 'shrink'])('%s, naming params.width', { timeout: cliRuns(2) }, async (cmd) => {
    const scenario = writeUserScenario(tempDir(), {
      name: freshScenarioName(), params: { width: 1 },
      scheduledRules: "[{ params: ['width'], holds: (p: { width: number }) => p.width > 0, expected: 'width > 0' }]",
    });
    const file = await recordedReplay(scenario, 'deadlock');
    editJson(file, (d) => ({ ...d, params: { width: 0 } }));
    const shrunk = join(tempDir(), 'x.replay.json');
    expectRefusal(await cliInProcess(cmd, file, ...(cmd === 'shrink' ? ['--out', shrunk] : [])), 'ERR_REPLAY_FILE', [`${file}: params.width: `]);
    expect(existsSync(shrunk)).toBe(false);
  });
});

describe('a stress hunt\'s finding whose params the scenario\'s scheduledRules refuse', () => {
  it('is written with the stress executor\'s replay file and counted not reproduced under controlled', { timeout: cliRuns(1) }, () => {
    const scenario = writeUserScenario(tempDir(), {
      name: freshScenarioName(), params: { width: 0 }, assertHeldAs: 'width_check',
      scheduledRules: "[{ params: ['width'], holds: (p: { width: number }) => p.width > 0, expected: 'width > 0' }]",
    });
    const out = join(tempDir(), 'runs');
    const r = cli('hunt', scenario, '--executor', 'stress', '--trials', '1', '--time', '20s', '--out', out);
    expect(r.stderr).not.toContain('ERR_BAD_OPTION');
    const [row] = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { findings: { title: string; replayFile: string; reproducedInControlled?: boolean }[] }[];
    const finding = row!.findings.find((f) => f.title.includes('width_check'));
    expect(finding?.reproducedInControlled).toBe(false);
    expect((JSON.parse(readFileSync(finding!.replayFile, 'utf8')) as { executor: string }).executor).toBe('stress');
  });
});
