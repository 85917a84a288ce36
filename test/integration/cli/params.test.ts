/**
 * Scenario parameters outside their declared ranges (ScenarioDef.paramRanges) are refused by every
 * command that takes them — hunt, stress, replay, shrink — with exit code 2, one line carrying the
 * error code and naming the option (or the replay file and its field), before anything is written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../../support/cli.js';
import { editJson, expectRefusal, recordedReplay } from '../../support/refusal.js';
import { writeUserScenario } from '../../support/user_scenario.js';

describe('hunt refuses a --param outside its range', () => {
  it.each([
    ['revoke-wait-kernel', 'importers=1.5'], ['revoke-wait-kernel', 'importers=0'], ['revoke-wait-kernel', 'importers=9'],
    ['revoke-wait-kernel', 'importers=1e9'], ['legacy-importer-revoke', 'importers=29'], ['iommufd-unwind', 'importers=8'],
    ['revoke-wait-kernel', 'pages=64'], ['revoke-wait-kernel', 'jobs=0'], ['revoke-wait-kernel', 'delay=-1'],
    ['revoke-wait-kernel', 'usage=sideways'], ['revoke-wait-kernel', 'kernel=v4'], ['revoke-wait-kernel', 'speculative=2'],
  ])('%s --param %s', (scenario, pair) => {
    const out = join(tempDir(), 'out');
    expectRefusal(cli('hunt', scenario, '--param', pair, '--trials', '5', '--out', out), 'ERR_BAD_OPTION', [`--param ${pair}`]);
    expect(existsSync(out)).toBe(false);
  });

  it('gpu importers whose jobs exceed what the arena holds in flight (importers × jobs)', () => {
    const out = join(tempDir(), 'out');
    expectRefusal(cli('hunt', 'revoke-wait-bookkeep', '--param', 'importers=8', '--param', 'jobs=5', '--out', out), 'ERR_BAD_OPTION', ['jobs']);
    expect(existsSync(out)).toBe(false);
  });
});

describe('stress refuses a parameter outside its range, naming the option that set it', () => {
  it.each([
    [['--param', 'depth=0'], '--param depth=0'], [['--importers', '17'], '--importers'], [['--revoke-every', '2m'], '--revoke-every'],
  ])('%j', (args, needle) => {
    const out = join(tempDir(), 'r.json');
    expectRefusal(cli('stress', 'stress-revoke', '--duration', '1s', ...args, '--out', out), 'ERR_BAD_OPTION', [needle]);
    expect(existsSync(out)).toBe(false);
  });
});

describe('replay and shrink refuse a replay file whose params are outside their ranges', () => {
  it.each([
    ['replay', 'importers', 1.5], ['replay', 'importers', 0], ['replay', 'importers', 1e9], ['replay', 'importers', 'x'],
    ['replay', 'usage', 'sideways'], ['shrink', 'importers', 1.5], ['shrink', 'pages', 64],
  ])('%s with params.%s = %j', (cmd, key, value) => {
    const file = recordedReplay('revoke-wait-kernel', 'use-after-revoke');
    editJson(file, (d) => ({ ...d, params: { ...(d.params as object), [key]: value } }));
    const shrunk = join(tempDir(), 'x.replay.json');
    expectRefusal(cli(cmd, file, ...(cmd === 'shrink' ? ['--out', shrunk] : [])), 'ERR_REPLAY_FILE', [file, `params.${key}`]);
    expect(existsSync(shrunk)).toBe(false);
  });
});

describe('a user scenario file declares parameter ranges', () => {
  const declared = { params: { rounds: 2 }, paramRanges: { rounds: { min: 1, max: 4 } } };

  it('and hunt refuses a --param outside the declared range', () => {
    const file = writeUserScenario(tempDir(), declared);
    expectRefusal(cli('hunt', file, '--param', 'rounds=5', '--no-artifacts'), 'ERR_BAD_OPTION', ['--param rounds=5']);
  });

  it('and hunt runs a --param inside it', () => {
    const file = writeUserScenario(tempDir(), declared);
    const r = cli('hunt', file, '--param', 'rounds=4', '--trials', '20', '--no-artifacts');
    expect(r.code, r.stderr).toBe(0);
  });

  it.each([
    [{ rounds: { min: 1 } }, 'paramRanges.rounds'],
    [{ rounds: { min: 0.5, max: 4 } }, 'paramRanges.rounds.min'],
    [{ rounds: { min: 3, max: 1 } }, 'paramRanges.rounds.max'],
    [{ rounds: { min: 5, max: 9 } }, 'paramRanges.rounds'],
    [{ rounds: { oneOf: ['2'] } }, 'paramRanges.rounds'],
    [{ nosuch: { min: 0, max: 1 } }, 'paramRanges.nosuch'],
    [{ mode: { oneOf: [] } }, 'paramRanges.mode.oneOf'],
    [{ fast: { oneOf: ['true'] } }, 'paramRanges.fast'],
  ])('and a malformed declaration %j is refused naming the file and the field', (paramRanges, field) => {
    const dir = tempDir();
    const file = writeUserScenario(dir, { params: { rounds: 2, mode: 'a', fast: true }, paramRanges });
    const out = join(dir, 'out');
    expectRefusal(cli('hunt', file, '--out', out), 'ERR_SCENARIO', [file, field]);
    expect(existsSync(out)).toBe(false);
  });
});
