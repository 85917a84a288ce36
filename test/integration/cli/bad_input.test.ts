/**
 * Bad input to the command line: each case is one line on stderr naming what is wrong, exit
 * code 2, and no artifacts (the --out directory is never created; a run refused part way removes
 * what it wrote). The command line runs in this process (cliInProcess) where the refusal comes
 * before anything runs or from an inline trial; in a child process (cli) where it comes from
 * worker threads part way through a run, or a hang is what is tested.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HARNESS_VERSION } from '../../../src/campaign/version.js';
import { DEFAULT_GEOMETRY } from '../../../src/shm/layout.js';
import { cli, cliInProcess, cliRuns, freshScenarioName, tempDir } from '../../support/cli.js';
import { expectRefusal as expectRefusalWith, expectRefusedWritingNothing, recordedReplay } from '../../support/refusal.js';
import { writeUserScenario } from '../../support/user_scenario.js';

/** Every file under `dir` (recursively), as relative path -> contents. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const p = join(dir, f);
    if (!statSync(p).isDirectory()) out[f] = readFileSync(p, 'utf8');
  }
  return out;
}

type Run = { readonly code: number | null; readonly stderr: string };

/** Exit 2 and one stderr line containing every one of `needles`. */
const expectRefusal = (r: Run, needles: readonly string[]): void => expectRefusalWith(r, undefined, needles);

/** Run `hunt` with `args` and a fresh --out; assert exit 2, one stderr line containing `needle`, no --out. */
const expectRefused = (needle: string, ...args: string[]): Promise<void> => expectRefusedWritingNothing('out', needle, args);

describe('hunt refuses bad input', () => {
  it('an unknown scenario id', async () => {
    await expectRefused('no-such-scenario', 'hunt', 'no-such-scenario');
  });

  it('a scenario file that does not exist', async () => {
    await expectRefused('missing.ts', 'hunt', join(tempDir(), 'missing.ts'));
  });

  it('a malformed scenario file (syntax error)', async () => {
    const p = join(tempDir(), 'broken.ts');
    writeFileSync(p, 'export const x = {;\n');
    await expectRefused('broken.ts', 'hunt', p);
  });

  it('a scenario file whose definition has a bad field', async () => {
    const p = writeUserScenario(tempDir(), { name: 'Bad Name' });
    await expectRefused('name', 'hunt', p);
  });

  it('a scenario file whose expect is no finding kind', async () => {
    const p = writeUserScenario(tempDir(), { name: freshScenarioName(), expect: 'nonsense-kind' });
    await expectRefused('expect', 'hunt', p);
  });

  it('a scenario file exporting no scenario', async () => {
    const p = join(tempDir(), 'empty.js');
    writeFileSync(p, 'export const nothing = 1;\n');
    await expectRefused('exports no scenario', 'hunt', p);
  });

  it.each([
    ['--trials', '0'], ['--trials', '1e3'], ['--time', 'soon'], ['--seed', '-1'], ['--executor', 'qemu'],
    ['--strategy', 'pct:99'], ['--strategy', 'replay'], ['--jobs', 'many'], ['--jobs', '100000'], ['--param', 'noequals'],
    ['--time', '1' + '0'.repeat(400) + 's'], ['--time', '169h'],
  ])('a bad option value %s %s', async (opt, value) => {
    await expectRefused(opt, 'hunt', 'abba-no-ctx', opt, value);
  });

  it('an unknown scenario parameter', async () => {
    await expectRefused('nosuch', 'hunt', 'abba-no-ctx', '--param', 'nosuch=1');
  });

  it('an unwritable --out', async () => {
    const file = join(tempDir(), 'plain-file');
    writeFileSync(file, 'x');
    const r = await cliInProcess('hunt', 'abba-no-ctx', '--out', join(file, 'out'));
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--out');
  });

  it.skipIf(!existsSync('/proc/self'))('an --out where mkdir fails under an existing parent (/proc), without hanging', () => {
    const r = cli('hunt', 'abba-no-ctx', '--trials', '5', '--out', '/proc/dmabuf-harness-out/run');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--out /proc/dmabuf-harness-out/run');
  });

  it('an --out that already holds a campaign (summary.json)', async () => {
    const out = join(tempDir(), 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'summary.json'), '{}\n');
    const r = await cliInProcess('hunt', 'abba-no-ctx', '--trials', '5', '--out', out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('summary.json');
    expect(readdirSync(out)).toEqual(['summary.json']);
  });
});

describe('a duration option refuses a bare number (it has no unit to be read in)', () => {
  it.each([
    ['hunt', '--time', ['abba-no-ctx', '--trials', '5']], ['hunt', '--trial-timeout', ['abba-no-ctx', '--trials', '5']],
    ['stress', '--duration', ['stress-revoke']], ['stress', '--warmup', ['stress-revoke', '--duration', '1s']],
    ['stress', '--revoke-every', ['stress-revoke', '--duration', '1s']], ['stress', '--trial-timeout', ['stress-revoke', '--duration', '1s']],
  ] as const)('%s %s 10', async (cmd, flag, args) => {
    const out = join(tempDir(), 'out');
    expectRefusalWith(await cliInProcess(cmd, ...args, flag, '10', '--out', out), 'ERR_BAD_OPTION', [flag, '10']);
    expect(existsSync(out)).toBe(false);
  });
});

describe('replay refuses bad files', () => {
  const recorded = (): Promise<string> => recordedReplay();

  it.each([
    ['harness', (d: Record<string, unknown>) => ({ ...d, harness: `${HARNESS_VERSION}-other` })],
    ['scenario.revision', (d: Record<string, unknown>) => ({ ...d, scenario: { ...(d.scenario as object), revision: 9 } })],
    ['scenario.id', (d: Record<string, unknown>) => ({ ...d, scenario: { ...(d.scenario as object), id: 'no-such-scenario' } })],
    ['seed', (d: Record<string, unknown>) => ({ ...d, seed: 1.5 })],
    // an actor id past 254 would wrap through the usage word's 8-bit actor + 1 (kernel/lockdep_usage.ts)
    ['lockdepUsage.0.actor', (d: Record<string, unknown>) => ({
      ...d, lockdepUsage: [{ class: { key: 1, named: true, flags: 0 }, usage: 'IN-HARDIRQ-W', actor: 255, trial: 1 }],
    })],
    // a stall's end is one of STALL_ENDS (stress_stalls.ts), its counts whole and not negative
    ['stressStalls.0.end', (d: Record<string, unknown>) => ({ ...d, stressStalls: [{ actor: 0, step: 3, held: 1, end: 'forever' }] })],
    ['stressStalls.0.held', (d: Record<string, unknown>) => ({ ...d, stressStalls: [{ actor: 0, step: 3, held: -1, end: 'budget' }] })],
  ])('a replay file with another or a bad %s', async (field, edit) => {
    const file = await recorded();
    writeFileSync(file, JSON.stringify(edit(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)));
    const r = await cliInProcess('replay', file);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toContain(field);
  });

  it.each([
    ['replay', '--trace', 'through a plain file', (file: string, dir: string) => join(dir, 'plain', 'trace.json')],
    ['replay', '--trace', 'the replay file itself', (file: string) => file],
    ['shrink', '--out', 'through a plain file', (file: string, dir: string) => join(dir, 'plain', 'x.replay.json')],
    ['shrink', '--out', 'the replay file itself', (file: string) => file],
  ])('%s %s %s, leaving the replay file as it was', async (cmd, flag, _what, output) => {
    const file = await recorded();
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), 'x');
    const before = readFileSync(file, 'utf8');
    const r = await cliInProcess(cmd, file, flag, output(file, dir));
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(flag);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('hunt refuses a scenario loading more modules than the arena\'s module table holds', () => {
  it('naming the file, the field modules and the most it holds: --out is never created', async () => {
    const dir = tempDir();
    const file = writeUserScenario(dir, { name: freshScenarioName(), extraModules: DEFAULT_GEOMETRY.modules });
    const out = join(dir, 'out');
    expectRefusal(await cliInProcess('hunt', file, '--trials', '5', '--out', out), [file, 'modules', `at most ${DEFAULT_GEOMETRY.modules}`, `got ${DEFAULT_GEOMETRY.modules + 1}`]);
    expect(existsSync(out)).toBe(false);
  });
});

describe('hunt refuses a scenario whose code reaches a driver module its modules do not list', () => {
  /** The refusal names the file, the field `modules` and the module it should list. */
  const expectModulesRefused = (r: Run, file: string): void => expectRefusal(r, [file, 'modules', 'dma_engine']);

  it.each(['inline', 'controlled', 'stress'])('at load when every trial reaches it (--executor %s): --out is never created', async (executor) => {
    const dir = tempDir();
    const file = writeUserScenario(dir, { name: freshScenarioName(), unlistedEngineAfter: 0 });
    const out = join(dir, 'out');
    expectModulesRefused(await cliInProcess('hunt', file, '--executor', executor, '--trials', '20', '--out', out), file);
    expect(existsSync(out)).toBe(false);
  });

  it('at load, before any scenario of the campaign runs: one probe trial each', async () => {
    const log = join(tempDir(), 'setups.log');
    const good = writeUserScenario(tempDir(), { name: 'user-good', setupLog: log });
    const bad = writeUserScenario(tempDir(), { name: 'user-bad', unlistedEngineAfter: 0 });
    expectModulesRefused(await cliInProcess('hunt', good, bad, '--trials', '20', '--no-artifacts'), bad);
    // user-good's probe trial ran its setup once; its hunt never started.
    expect(readFileSync(log, 'utf8').split('\n').filter((l) => l !== '')).toHaveLength(1);
  });

  it.each([
    ['inline', '--executor', 'inline'], ['controlled', '--executor', 'controlled'], ['--jobs 2', '--jobs', '2'],
  ])('when a later trial reaches it (%s): what the run wrote is removed, what was there stays', (_label, ...args) => {
    const dir = tempDir();
    const file = writeUserScenario(dir, { unlistedEngineAfter: 8 });
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'kept.txt'), 'x');
    expectModulesRefused(cli('hunt', file, ...args, '--keep-going', '--trials', '50', '--out', out), file);
    expect(readdirSync(out)).toEqual(['kept.txt']);
  });

  it('when a later trial reaches it: an earlier run\'s findings in the same --out are neither replaced nor removed', { timeout: cliRuns(2) }, async () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    expect((await cliInProcess('hunt', 'revoke-no-wait', '--trials', '50', '--out', out)).code).toBe(0);
    rmSync(join(out, 'summary.json'));
    const before = snapshot(out);
    expect(Object.keys(before).length).toBeGreaterThan(0);
    const file = writeUserScenario(dir, { name: freshScenarioName(), unlistedEngineAfter: 8 });
    const r = await cliInProcess('hunt', 'revoke-no-wait', file, '--keep-going', '--trials', '50', '--out', out);
    expectModulesRefused(r, file);
    expect(snapshot(out)).toEqual(before);
  });

  it('when a later trial reaches it with a fresh --out: the directory made for the run goes too', async () => {
    const dir = tempDir();
    const file = writeUserScenario(dir, { name: freshScenarioName(), unlistedEngineAfter: 8 });
    const out = join(dir, 'runs', 'out');
    expectModulesRefused(await cliInProcess('hunt', file, '--keep-going', '--trials', '50', '--out', out), file);
    expect(existsSync(join(dir, 'runs'))).toBe(false);
  });
});

describe('hunt refuses a scenario whose setup throws', () => {
  /** The refusal names the file, the field `setup` and the error. */
  const expectSetupRefused = (r: Run, file: string): void => expectRefusal(r, [file, 'setup', 'RangeError']);

  it.each(['inline', 'controlled', 'stress'])('in every trial (--executor %s): --out is never created', { timeout: cliRuns(1) }, async (executor) => {
    const dir = tempDir();
    const file = writeUserScenario(dir, { name: freshScenarioName(), setupThrowsAfter: 0 });
    const out = join(dir, 'out');
    expectSetupRefused(await cliInProcess('hunt', file, '--executor', executor, '--trials', '20', '--out', out), file);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    ['inline', '--executor', 'inline'], ['controlled', '--executor', 'controlled'], ['--jobs 2', '--jobs', '2'],
  ])('from a later trial on (%s): what the run wrote is removed', { timeout: cliRuns(1) }, (_label, ...args) => {
    const dir = tempDir();
    const file = writeUserScenario(dir, { setupThrowsAfter: 8 });
    const out = join(dir, 'out');
    mkdirSync(out);
    // The trial count, not the time budget, ends the hunt: a loaded machine that takes 20 s to
    // start the actor threads would spend the default --time (10 s) before the ninth setup.
    expectSetupRefused(cli('hunt', file, ...args, '--keep-going', '--trials', '50', '--time', '10m', '--out', out), file);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('stress refuses a malformed knob value while parsing, whatever the scenario', () => {
  it.each([
    ['--importers', 'x'], ['--engines', '1.5'], ['--buffer-size', '8MB!'], ['--job-size', '0'], ['--revoke-every', 'soon'],
  ])('%s %s with an unknown scenario: the value is refused, not the scenario', async (flag, value) => {
    const out = join(tempDir(), 'out');
    const r = await cliInProcess('stress', 'no-such-scenario', flag, value, '--duration', '1s', '--out', out);
    expectRefusalWith(r, 'ERR_BAD_OPTION', [flag, value]);
    expect(r.stderr).not.toContain('no-such-scenario');
    expect(existsSync(out)).toBe(false);
  });
});
