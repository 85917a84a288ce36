/**
 * Scenario parameters outside their declared ranges (ScenarioDef.paramRanges), or combined against
 * the scenario's rules (ScenarioDef.paramRules), are refused by every command that takes them —
 * hunt, stress, replay, shrink — with exit code 2, one line carrying the error code and naming the
 * option as typed (or the replay file and its field), before anything is written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliInProcess, cliRuns, freshScenarioName, tempDir } from '../../support/cli.js';
import { editJson, expectRefusal, recordedReplay } from '../../support/refusal.js';
import { writeUserScenario, type UserScenarioOptions } from '../../support/user_scenario.js';

describe('hunt refuses a --param outside its range', () => {
  it.each([
    ['revoke-wait-kernel', 'importers=1.5'], ['revoke-wait-kernel', 'importers=0'], ['revoke-wait-kernel', 'importers=21'],
    ['revoke-wait-kernel', 'importers=1e9'], ['legacy-importer-revoke', 'importers=29'], ['iommufd-unwind', 'importers=8'],
    ['revoke-wait-kernel', 'pages=64'], ['revoke-wait-kernel', 'jobs=0'], ['revoke-wait-kernel', 'delay=-1'],
    ['revoke-wait-kernel', 'usage=sideways'], ['revoke-wait-kernel', 'kernel=v4'], ['revoke-wait-kernel', 'speculative=2'],
  ])('%s --param %s', async (scenario, pair) => {
    const out = join(tempDir(), 'out');
    expectRefusal(await cliInProcess('hunt', scenario, '--param', pair, '--trials', '5', '--out', out), 'ERR_BAD_OPTION', [`--param ${pair}`]);
    expect(existsSync(out)).toBe(false);
  });

});

describe('hunt refuses --param values a rule across parameters refuses, naming the --param', () => {
  it.each([
    ['revoke-wait-bookkeep', ['importers=8', 'jobs=5'], '--param jobs=5'],
    ['unrevoke-after-rearm', ['importers=11'], '--param importers=11'],
    ['legacy-importer-revoke', ['jobs=33'], '--param jobs=33'],
    ['revoke-wait-bookkeep', ['importers=3', 'pages=63'], '--param importers=3'],
    ['revoke-wait-bookkeep', ['pages=63', 'importers=3'], '--param importers=3'],
    ['revoke-wait-bookkeep', ['importers=20', 'pages=5'], '--param importers=20'],
  ])('%s %j', async (scenario, pairs, needle) => {
    const out = join(tempDir(), 'out');
    expectRefusal(await cliInProcess('hunt', scenario, ...pairs.flatMap((p) => ['--param', p]), '--out', out), 'ERR_BAD_OPTION', [needle]);
    expect(existsSync(out)).toBe(false);
  });

  it('and runs gpu importers up to what the arena holds (20 importers of 1 page; the old range stopped at 8)', () => {
    const r = cli('hunt', 'revoke-wait-bookkeep', '--param', 'importers=20', '--param', 'pages=1', '--trials', '20', '--no-artifacts');
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('stress refuses a parameter outside its range or its rules, naming the option as typed', () => {
  it.each([
    [['--param', 'depth=0'], '--param depth=0'], [['--importers', '17'], '--importers 17'], [['--importers', '017'], '--importers 017'],
    [['--revoke-every', '2m'], '--revoke-every 2m'],
    [['--revoke-every', '5us'], '--revoke-every 5us'], [['--revoke-every', '1.5ms'], '--revoke-every 1.5ms'],
    [['--param', 'pageBytes=5000'], '--param pageBytes=5000'], [['--buffer-size', '5000'], '--buffer-size 5000'],
    [['--buffer-size', '8MB!'], '--buffer-size 8MB!'], [['--job-size', '5000'], '--job-size 5000'],
    [['--importers', '2', '--engines', '3'], '--engines 3'], [['--param', 'reap=3'], '--param reap=3'],
    [['--param', 'pages=4', '--param', 'jobPages=8'], '--param jobPages=8'],
  ])('%j', async (args, needle) => {
    const out = join(tempDir(), 'r.json');
    expectRefusal(await cliInProcess('stress', 'stress-revoke', '--duration', '1s', ...args, '--out', out), 'ERR_BAD_OPTION', [needle]);
    expect(existsSync(out)).toBe(false);
  });
});

describe('a user scenario file\'s pageBytes without a declared range keeps to the harness\'s page sizes', () => {
  it.each([
    ['stress', ['--param', 'pageBytes=5000'], '--param pageBytes=5000'], ['stress', ['--param', 'pageBytes=1'], '--param pageBytes=1'],
    ['hunt', ['--param', 'pageBytes=5000'], '--param pageBytes=5000'],
  ])('%s %j is refused, naming the option', async (cmd, args, needle) => {
    const file = writeUserScenario(tempDir(), { name: freshScenarioName(), params: { pageBytes: 4096 } });
    const out = join(tempDir(), 'out');
    expectRefusal(await cliInProcess(cmd, file, ...args, ...(cmd === 'stress' ? ['--duration', '1s'] : []), '--out', out), 'ERR_BAD_OPTION', [needle]);
    expect(existsSync(out)).toBe(false);
  });
});

describe('replay and shrink refuse a replay file whose params a rule across parameters refuses', () => {
  it.each(['replay', 'shrink'])('%s with params.importers = 8 and params.jobs = 5, naming params.jobs', { timeout: cliRuns(2) }, async (cmd) => {
    const file = await recordedReplay('revoke-wait-kernel', 'use-after-revoke');
    editJson(file, (d) => ({ ...d, params: { ...(d.params as object), importers: 8, jobs: 5 } }));
    const shrunk = join(tempDir(), 'x.replay.json');
    expectRefusal(await cliInProcess(cmd, file, ...(cmd === 'shrink' ? ['--out', shrunk] : [])), 'ERR_REPLAY_FILE', [`${file}: params.jobs: `]);
    expect(existsSync(shrunk)).toBe(false);
  });
});

describe('replay and shrink refuse a replay file whose params are outside their ranges', () => {
  it.each([
    ['replay', 'importers', 1.5], ['replay', 'importers', 0], ['replay', 'importers', 1e9], ['replay', 'importers', 'x'],
    ['replay', 'usage', 'sideways'], ['shrink', 'importers', 1.5], ['shrink', 'pages', 64],
  ])('%s with params.%s = %j', { timeout: cliRuns(2) }, async (cmd, key, value) => {
    const file = await recordedReplay('revoke-wait-kernel', 'use-after-revoke');
    editJson(file, (d) => ({ ...d, params: { ...(d.params as object), [key]: value } }));
    const shrunk = join(tempDir(), 'x.replay.json');
    expectRefusal(await cliInProcess(cmd, file, ...(cmd === 'shrink' ? ['--out', shrunk] : [])), 'ERR_REPLAY_FILE', [file, `params.${key}`]);
    expect(existsSync(shrunk)).toBe(false);
  });
});

describe.each([
  ['ranges', { params: { rounds: 2 }, paramRanges: { rounds: { min: 1, max: 4 } } }, 'rounds=5', 'rounds=4'],
  ['rules', { params: { rounds: 2, width: 1 }, paramRules: "[{ params: ['rounds', 'width'], holds: (p: { rounds: number; width: number }) => p.rounds * p.width <= 4, expected: 'rounds × width ≤ 4' }]" }, 'width=3', 'width=2'],
] as [string, UserScenarioOptions, string, string][])('a user scenario file declares parameter %s', (_what, declared, refused, taken) => {
  it(`and hunt refuses --param ${refused}, naming it`, async () => {
    const file = writeUserScenario(tempDir(), { ...declared, name: freshScenarioName() });
    expectRefusal(await cliInProcess('hunt', file, '--param', refused, '--no-artifacts'), 'ERR_BAD_OPTION', [`--param ${refused}`]);
  });

  it(`and hunt runs --param ${taken}`, () => {
    const file = writeUserScenario(tempDir(), declared);
    const r = cli('hunt', file, '--param', taken, '--trials', '20', '--no-artifacts');
    expect(r.code, r.stderr).toBe(0);
  });
});

/** Hunting the user file written with `o` is refused naming the file and `field`; no --out is made. */
async function expectDeclarationRefused(o: UserScenarioOptions, field: string): Promise<void> {
  const dir = tempDir();
  const file = writeUserScenario(dir, { ...o, name: freshScenarioName() });
  const out = join(dir, 'out');
  expectRefusal(await cliInProcess('hunt', file, '--out', out), 'ERR_SCENARIO', [file, `${field}: `]);
  expect(existsSync(out)).toBe(false);
}

describe('a user scenario file\'s malformed declaration is refused naming the file and the field', () => {
  it.each([
    [{ rounds: { min: 1 } }, 'paramRanges.rounds'],
    [{ rounds: { min: 0.5, max: 4 } }, 'paramRanges.rounds.min'],
    [{ rounds: { min: 3, max: 1 } }, 'paramRanges.rounds.max'],
    [{ rounds: { min: 5, max: 9 } }, 'paramRanges.rounds'],
    [{ rounds: { oneOf: ['2'] } }, 'paramRanges.rounds'],
    [{ nosuch: { min: 0, max: 1 } }, 'paramRanges.nosuch'],
    [{ mode: { oneOf: [] } }, 'paramRanges.mode.oneOf'],
    [{ fast: { oneOf: ['true'] } }, 'paramRanges.fast'],
  ])('paramRanges %j', async (paramRanges, field) => {
    await expectDeclarationRefused({ params: { rounds: 2, mode: 'a', fast: true }, paramRanges }, field);
  });

  it.each([
    [{ pageBytes: 3 }, 'params.pageBytes'], [{ pageBytes: 5000 }, 'params.pageBytes'], [{ kernel: 'v4' }, 'params.kernel'],
  ])('params %j: a parameter the harness reads, without a range of its own', async (params, field) => {
    await expectDeclarationRefused({ params }, field);
  });

  it.each([
    ["[{ params: ['nosuch'], holds: () => true, expected: 'x' }]", 'paramRules[0].params'],
    ["[{ params: ['rounds'], holds: () => false, expected: 'never' }]", 'paramRules[0]'],
  ])('paramRules %s', async (paramRules, field) => {
    await expectDeclarationRefused({ params: { rounds: 2 }, paramRules }, field);
  });
});
