/**
 * `dmabuf-harness hunt ./my-scenario.ts`: a user's TypeScript scenario file with its own driver
 * module is loaded through tsx and hunted under inline and controlled (whose worker threads load
 * the same file); its module's code reaches the table its load resolved; its replay file names
 * the file and replays; a module that misses its namespace import is a module-load finding, as
 * for the catalog. A `.cts` file (CommonJS) is refused.
 */
import { copyFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../../support/cli.js';
import { expectRefusal } from '../../support/refusal.js';
import { writeUserScenario } from '../../support/user_scenario.js';

interface Row { scenario: string; ok: boolean; findings: { kind: string; replayFile: string | null }[] }

function huntJson(...args: string[]): Row[] {
  const r = cli('hunt', ...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Row[];
}

describe('user scenario files', () => {
  it.each(['inline', 'controlled'])('are hunted under %s and their finding replays', (executor) => {
    const dir = tempDir();
    const file = writeUserScenario(dir);
    const rows = huntJson(file, '--executor', executor, '--trials', '300', '--out', `${dir}/out`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.scenario).toBe('user-abba');
    // Its module's code (the exporter) reached its own symbol table: no crash.
    expect(rows[0]!.findings.map((x) => x.kind)).not.toContain('crash');
    const f = rows[0]!.findings.find((x) => x.kind === 'deadlock');
    expect(f?.replayFile).toBeTruthy();
    const r = cli('replay', f!.replayFile!, '--executor', 'controlled');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('report a module without its namespace import as module-load', () => {
    const dir = tempDir();
    const file = writeUserScenario(dir, { importNs: [], expect: 'module-load' });
    const rows = huntJson(file, '--no-artifacts');
    expect(rows[0]!.findings.map((x) => x.kind)).toContain('module-load');
  });

  it('refuse a .cts file with one line naming it', () => {
    const dir = tempDir();
    const file = `${dir}/user-abba.cts`;
    copyFileSync(writeUserScenario(dir), file);
    expectRefusal(cli('hunt', file, '--trials', '1', '--no-artifacts'), 'ERR_SCENARIO', [file, '.cts']);
  });
});
