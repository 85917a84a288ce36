/**
 * `dmabuf-harness hunt ./my-scenario.ts`: a user's TypeScript scenario file with its own driver
 * module is loaded through tsx and hunted under inline and controlled (whose worker threads load
 * the same file); its module's code reaches the table its load resolved; its replay file names
 * the file and replays; a module that misses its namespace import is a module-load finding, as
 * for the catalog. A JavaScript file hunted beside it loads as the ES module it is. A `.cts` file
 * (CommonJS) is refused.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_URL, cli, cliRuns, tempDir } from '../../support/cli.js';
import { expectRefusal } from '../../support/refusal.js';
import { writeUserScenario } from '../../support/user_scenario.js';

/** A plain JavaScript scenario (ES module syntax) importing the harness by URL: two resv locks taken in opposite orders. */
const JS_ABBA = `import { defineScenario } from '${ROOT_URL.href}dist/src/index.js';
import { dma_resv_init, dma_resv_lock, dma_resv_unlock } from '${ROOT_URL.href}dist/src/kernel/index.js';
function* lockBoth(t, first, second) {
  yield* dma_resv_lock(t, first, null);
  yield* dma_resv_lock(t, second, null);
  dma_resv_unlock(t, second);
  dma_resv_unlock(t, first);
}
export const jsAbba = defineScenario({
  name: 'js-abba', module: import.meta.url, params: {}, expect: 'deadlock',
  setup: (t) => ({ a: dma_resv_init(t), b: dma_resv_init(t) }),
  actors: () => [
    { name: 'T1', run: (t, e) => lockBoth(t, e.a, e.b) },
    { name: 'T2', run: (t, e) => lockBoth(t, e.b, e.a) },
  ],
});
`;

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

  // A .js file in a directory without package.json is an ES module by its syntax (Node's rule);
  // tsx's hooks, registered for the .ts file first, must not compile it to CommonJS.
  it.each(['inline', 'controlled'])('are hunted as TypeScript and JavaScript files in one run under %s', (executor) => {
    const dir = tempDir();
    const ts = writeUserScenario(dir);
    const js = join(dir, 'js-abba.js');
    writeFileSync(js, JS_ABBA);
    const rows = huntJson(ts, js, '--executor', executor, '--trials', '300', '--no-artifacts');
    expect(rows.map((r) => [r.scenario, r.ok, r.findings.some((f) => f.kind === 'deadlock')])).toEqual([
      ['user-abba', true, true], ['js-abba', true, true],
    ]);
  }, cliRuns(1));

  it('refuse a .cts file with one line naming it', () => {
    const dir = tempDir();
    const file = `${dir}/user-abba.cts`;
    copyFileSync(writeUserScenario(dir), file);
    expectRefusal(cli('hunt', file, '--trials', '1', '--no-artifacts'), 'ERR_SCENARIO', [file, '.cts']);
  });
});
