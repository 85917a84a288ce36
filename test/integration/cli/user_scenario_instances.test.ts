/**
 * A user's TypeScript scenario file runs on the harness's own module instances, in every thread
 * that loads it (the main thread, controlled actor threads, `--jobs` workers, stress actor
 * threads): what the file registers (its exporter's ops, a call site's name) is what the
 * harness's code finds, whether the file imports the harness by URL or by package name; and
 * each of those threads has the harness's module hooks in its chain once.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliRuns, tempDir } from '../../support/cli.js';
import { installHarness, writeUserScenario, type HarnessImport } from '../../support/user_scenario.js';

interface Row { scenario: string; ok: boolean; findings: { kind: string; title: string }[] }

const RUNS: readonly (readonly [string, readonly string[]])[] = [
  ['inline', ['--executor', 'inline']],
  ['controlled', ['--executor', 'controlled']],
  ['--jobs 2', ['--jobs', '2']],
];

function hunt(file: string, args: readonly string[]): Row {
  const r = cli('hunt', file, ...args, '--trials', '300', '--no-artifacts', '--json');
  expect(r.code, r.stderr).toBe(0);
  const rows = JSON.parse(r.stdout) as Row[];
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

/** The threads that loaded the file, from its hooksLog; expects the hooks once in each. */
function loadingThreads(log: string): Set<string> {
  const lines = readFileSync(log, 'utf8').trimEnd().split('\n').map((l) => l.split(' '));
  expect(lines.map(([, depth]) => depth)).toEqual(lines.map(() => 'data:text/plain,1'));
  return new Set(lines.map(([thread]) => thread!));
}

describe('a user scenario file shares the harness module instances', () => {
  const exportCases: [string, HarnessImport, readonly string[]][] = [
    ...RUNS.map(([name, args]): [string, HarnessImport, readonly string[]] => [name, 'url', args]),
    ...RUNS.map(([name, args]): [string, HarnessImport, readonly string[]] => [name, 'linked', args]),
    ['inline', 'copied', ['--executor', 'inline']],
  ];

  it.each(exportCases)('under %s, harness imported by %s: the core exports with the ops the file registered', (run, harness, args) => {
    const dir = tempDir();
    const file = writeUserScenario(dir, { harness, exportViaTable: true, hooksLog: join(dir, 'hooks.log') });
    const row = hunt(file, args);
    expect(row.findings.map((f) => f.kind)).not.toContain('crash');
    expect(row.findings.map((f) => f.kind)).toContain('deadlock');
    // The main thread, and under controlled and --jobs worker threads too.
    expect(loadingThreads(join(dir, 'hooks.log')).size).toBeGreaterThan(run === 'inline' ? 0 : 1);
  }, cliRuns(1));

  it.each(RUNS)('under %s: a finding is titled after the call site the file names', (_run, args) => {
    const file = writeUserScenario(tempDir(), { assertHeldAs: 'user_abba_commit', expect: 'lock-not-held' });
    const row = hunt(file, args);
    expect(row.findings.map((f) => f.title)).toContain('lock-not-held in user_abba_commit');
  }, cliRuns(1));

  it.each(['linked', 'copied'] as const)('a JavaScript file importing the package %s: titled after the call site it names', (harness) => {
    const dir = tempDir();
    installHarness(dir, harness);
    const file = join(dir, 'user-js.js');
    writeFileSync(file, `import { defineScenario } from 'dmabuf-harness';
import { dma_resv_assert_held, dma_resv_init } from 'dmabuf-harness/kernel';

export const userJs = defineScenario({
  name: 'user-js', module: import.meta.url, params: {}, expect: 'lock-not-held',
  setup: (t) => ({ r: dma_resv_init(t) }),
  actors: () => [{ name: 'checker', run: function* (t, e) { dma_resv_assert_held(t, e.r, 'user_js_check'); } }],
});
`);
    const row = hunt(file, ['--executor', 'controlled']);
    expect(row.findings.map((f) => f.title)).toContain('lock-not-held in user_js_check');
  }, cliRuns(1));

  it.each(['url', 'linked'] as const)('under stress, harness imported by %s: the core exports with the ops the file registered', (harness) => {
    const dir = tempDir();
    const hooksLog = join(dir, 'hooks.log');
    const file = writeUserScenario(dir, { harness, exportViaTable: true, assertHeldAs: 'user_abba_commit', hooksLog });
    const r = cli('stress', file, '--duration', '1s', '--out', `${dir}/s.json`, '--json', '--no-artifacts');
    expect(r.code, r.stderr).not.toBe(2);
    const titles = (JSON.parse(r.stdout) as { findings?: { title: string }[] }).findings?.map((f) => f.title);
    expect(titles).toContain('lock-not-held in user_abba_commit');
    expect(titles?.some((t) => t.startsWith('crash'))).toBe(false);
    expect(loadingThreads(hooksLog).size).toBeGreaterThan(1);
  }, cliRuns(1));
});
