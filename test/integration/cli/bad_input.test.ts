/**
 * Bad input to the command line: each case is one line on stderr naming what is wrong, exit
 * code 2, and no artifacts (the --out directory is never created; a run refused part way removes
 * what it wrote).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HARNESS_VERSION } from '../../../src/campaign/version.js';
import { cli, tempDir } from '../../support/cli.js';
import { writeUserScenario } from '../../support/user_scenario.js';

/** Run `hunt` with `args` and a fresh --out; assert exit 2, one stderr line containing `needle`, no --out. */
function expectRefused(needle: string, ...args: string[]): void {
  const out = join(tempDir(), 'out');
  const r = cli(...args, '--out', out);
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(needle);
  expect(existsSync(out)).toBe(false);
}

describe('hunt refuses bad input', () => {
  it('an unknown scenario id', () => {
    expectRefused('no-such-scenario', 'hunt', 'no-such-scenario');
  });

  it('a scenario file that does not exist', () => {
    expectRefused('missing.ts', 'hunt', join(tempDir(), 'missing.ts'));
  });

  it('a malformed scenario file (syntax error)', () => {
    const p = join(tempDir(), 'broken.ts');
    writeFileSync(p, 'export const x = {;\n');
    expectRefused('broken.ts', 'hunt', p);
  });

  it('a scenario file whose definition has a bad field', () => {
    const p = writeUserScenario(tempDir(), { name: 'Bad Name' });
    expectRefused('name', 'hunt', p);
  });

  it('a scenario file exporting no scenario', () => {
    const p = join(tempDir(), 'empty.js');
    writeFileSync(p, 'export const nothing = 1;\n');
    expectRefused('exports no scenario', 'hunt', p);
  });

  it.each([
    ['--trials', '0'], ['--trials', '1e3'], ['--time', 'soon'], ['--seed', '-1'], ['--executor', 'qemu'],
    ['--strategy', 'pct:99'], ['--strategy', 'replay'], ['--jobs', 'many'], ['--param', 'noequals'],
  ])('a bad option value %s %s', (opt, value) => {
    expectRefused(opt, 'hunt', 'abba-no-ctx', opt, value);
  });

  it('an unknown scenario parameter', () => {
    expectRefused('nosuch', 'hunt', 'abba-no-ctx', '--param', 'nosuch=1');
  });

  it('an unwritable --out', () => {
    const file = join(tempDir(), 'plain-file');
    writeFileSync(file, 'x');
    const r = cli('hunt', 'abba-no-ctx', '--out', join(file, 'out'));
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--out');
  });
});

describe('replay refuses bad files', () => {
  function recorded(): string {
    const out = join(tempDir(), 'out');
    const r = cli('hunt', 'abba-no-ctx', '--out', out, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { findings: { kind: string; replayFile: string }[] }[];
    return doc[0]!.findings.find((f) => f.kind === 'deadlock')!.replayFile;
  }

  it.each([
    ['harness', (d: Record<string, unknown>) => ({ ...d, harness: `${HARNESS_VERSION}-other` })],
    ['scenario.revision', (d: Record<string, unknown>) => ({ ...d, scenario: { ...(d.scenario as object), revision: 9 } })],
    ['scenario.id', (d: Record<string, unknown>) => ({ ...d, scenario: { ...(d.scenario as object), id: 'no-such-scenario' } })],
    ['seed', (d: Record<string, unknown>) => ({ ...d, seed: 1.5 })],
  ])('a replay file with another or a bad %s', (field, edit) => {
    const file = recorded();
    writeFileSync(file, JSON.stringify(edit(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)));
    const r = cli('replay', file);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toContain(field);
  });
});

describe('hunt refuses a scenario whose code reaches a driver module its modules do not list', () => {
  /** Exit 2 and one stderr line naming the file, the field `modules` and the module it should list. */
  function expectModulesRefused(r: { code: number | null; stderr: string }, file: string): void {
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    for (const needle of [file, 'modules', 'dma_engine']) expect(lines[0]).toContain(needle);
  }

  it.each(['inline', 'controlled', 'stress'])('at load when every trial reaches it (--executor %s): --out is never created', (executor) => {
    const dir = tempDir();
    const file = writeUserScenario(dir, { unlistedEngineAfter: 0 });
    const out = join(dir, 'out');
    expectModulesRefused(cli('hunt', file, '--executor', executor, '--trials', '20', '--out', out), file);
    expect(existsSync(out)).toBe(false);
  });

  it('at load, before any scenario of the campaign runs: one probe trial each', () => {
    const log = join(tempDir(), 'setups.log');
    const good = writeUserScenario(tempDir(), { name: 'user-good', setupLog: log });
    const bad = writeUserScenario(tempDir(), { name: 'user-bad', unlistedEngineAfter: 0 });
    expectModulesRefused(cli('hunt', good, bad, '--trials', '20', '--no-artifacts'), bad);
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

  it('when a later trial reaches it with a fresh --out: the directory made for the run goes too', () => {
    const dir = tempDir();
    const file = writeUserScenario(dir, { unlistedEngineAfter: 8 });
    const out = join(dir, 'runs', 'out');
    expectModulesRefused(cli('hunt', file, '--keep-going', '--trials', '50', '--out', out), file);
    expect(existsSync(join(dir, 'runs'))).toBe(false);
  });
});
