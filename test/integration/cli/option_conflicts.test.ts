/**
 * Options one of which would be silently ignored are refused together, before anything runs or
 * is written: hunt --out with --no-artifacts, --jobs with an executor other than inline; stress
 * --schema or --compare (which run nothing) with a scenario or any other option.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliInProcess, tempDir } from '../../support/cli.js';
import { expectRefusal } from '../../support/refusal.js';

describe('conflicting options are refused', () => {
  it.each([
    [['hunt', 'abba-no-ctx', '--out', 'OUT', '--no-artifacts'], ['--out', '--no-artifacts']],
    [['hunt', 'abba-no-ctx', '--jobs', '4', '--executor', 'controlled', '--out', 'OUT'], ['--jobs', '--executor']],
    [['hunt', 'abba-no-ctx', '--executor', 'stress', '--jobs', '2', '--out', 'OUT'], ['--jobs', '--executor']],
    [['stress', '--schema', '--compare', 'a.json', 'b.json'], ['--schema', '--compare']],
    [['stress', '--schema', '--out', 'OUT'], ['--schema', '--out']],
    [['stress', 'stress-revoke', '--schema'], ['--schema', 'stress-revoke']],
    [['stress', '--compare', 'a.json', 'b.json', '--out', 'OUT'], ['--compare', '--out']],
    [['stress', '--compare', 'a.json', 'b.json', '--svg', 'OUT'], ['--compare', '--svg']],
    [['stress', '--compare', 'a.json', 'b.json', '--duration', '1s'], ['--compare', '--duration']],
  ])('%j', async (args, needles) => {
    const out = join(tempDir(), 'out');
    const r = await cliInProcess(...args.map((a) => (a === 'OUT' ? out : a)));
    expectRefusal(r, 'ERR_BAD_OPTION', needles);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    [['hunt', 'abba-no-ctx', '--jobs', '2', '--executor', 'inline', '--trials', '5', '--no-artifacts']],
    [['hunt', 'abba-no-ctx', '--executor', 'controlled', '--trials', '5', '--no-artifacts']],
    [['stress', '--schema']],
  ])('but not options that go together: %j', (args) => {
    const r = cli(...args);
    expect(r.code, r.stderr).toBe(0);
  });
});
