/**
 * Bad input to the command line: each case is one line on stderr naming what is wrong, exit
 * code 2, and no artifacts (the --out directory is never created).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
