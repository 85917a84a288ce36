/**
 * `dmabuf-harness hunt` end to end: --jobs, the stress executor with its controlled
 * reproduction, SIGINT (what was found is still written, exit 130), replay --trace, and the
 * progress bar on a terminal.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, cli, cliRuns, tempDir } from '../../support/cli.js';

interface Row {
  scenario: string; ok: boolean; trials: number; interrupted: boolean;
  findings: { kind: string; title: string; replayFile: string | null; reproducedInControlled?: boolean }[];
}

function huntJson(...args: string[]): Row[] {
  const r = cli('hunt', ...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Row[];
}

describe('hunt', () => {
  it('fans inline trials out with --jobs: the bug is found, the twin runs its whole budget clean', () => {
    const rows = huntJson('abba-no-ctx', 'abba-ww-backoff', '--jobs', '2', '--trials', '2000', '--no-artifacts');
    expect(rows.map((r) => r.ok)).toEqual([true, true]);
    expect(rows[0]!.findings.map((f) => f.kind)).toContain('deadlock');
    expect(rows[1]!.trials).toBe(2000);
  });

  it('re-runs a stress finding under controlled along its yield order and says whether it reproduced', { timeout: cliRuns(2) }, () => {
    const out = join(tempDir(), 'out');
    const rows = huntJson('revoke-no-wait', '--executor', 'stress', '--trials', '200', '--time', '60s', '--out', out);
    const f = rows[0]!.findings.find((x) => x.kind === 'use-after-revoke');
    expect(f).toBeDefined();
    expect(typeof f!.reproducedInControlled).toBe('boolean');
    const report = readFileSync(f!.replayFile!.replace(/\.replay\.json$/, '.report.txt'), 'utf8');
    const said = f!.reproducedInControlled === true ? 'reproduced' : 'NOT reproduced';
    expect(report).toContain(`controlled reproduction of the stress yield order: ${said}\n`);
    if (f!.reproducedInControlled === true) expect(cli('replay', f!.replayFile!).code).toBe(0);
  });

  it('reproduces under controlled a stress finding that does not depend on timing, and its replay file does too', { timeout: cliRuns(2) }, () => {
    const out = join(tempDir(), 'out');
    // The exit code is not asserted: on a loaded machine 20 trials may miss the expected deadlock.
    const r = cli('hunt', 'abba-no-ctx', '--executor', 'stress', '--trials', '20', '--time', '60s', '--out', out, '--json');
    const f = (JSON.parse(r.stdout) as Row[])[0]!.findings.find((x) => x.title === 'assertion in ww_mutex_lock (possible recursive locking detected)');
    expect(f?.reproducedInControlled).toBe(true);
    const report = readFileSync(f!.replayFile!.replace(/\.replay\.json$/, '.report.txt'), 'utf8');
    expect(report).toContain('controlled reproduction of the stress yield order: reproduced\n');
    expect(cli('replay', f!.replayFile!).code).toBe(0);
  });

  it('writes a valid Chrome trace with one track per actor from replay --trace', { timeout: cliRuns(2) }, () => {
    const out = join(tempDir(), 'out');
    const f = huntJson('revoke-wait-kernel', '--out', out)[0]!.findings.find((x) => x.kind === 'use-after-revoke')!;
    const tracePath = join(out, 'again.trace.json');
    expect(cli('replay', f.replayFile!, '--trace', tracePath).code).toBe(0);
    const trace = JSON.parse(readFileSync(tracePath, 'utf8')) as { traceEvents: { ph: string; name: string; tid: number; args?: { name?: string } }[] };
    const tracks = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args?.name);
    expect(new Set(tracks).size).toBe(tracks.length);
    expect(tracks).toEqual(expect.arrayContaining(['vfio', 'engine']));
  });

  it('still writes what it found when interrupted (SIGINT), and exits 130', async () => {
    const out = join(tempDir(), 'out');
    const child = spawn(process.execPath, [CLI, 'hunt', 'revoke-wait-kernel', '--keep-going', '--trials', '100000000', '--time', '10m', '--out', out, '--json'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const dir = join(out, 'revoke-wait-kernel');
    const deadline = performance.now() + 60_000;
    while (!(existsSync(dir) && readdirSync(dir).some((n) => n.endsWith('.trace.json'))) && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const rows = JSON.parse(stdout) as Row[];
    expect(rows[0]!.interrupted).toBe(true);
    expect(rows[0]!.findings.length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toEqual(rows);
    for (const name of readdirSync(dir)) {
      expect(name).not.toMatch(/\.tmp-/);
      if (name.endsWith('.json')) expect(() => JSON.parse(readFileSync(join(dir, name), 'utf8'))).not.toThrow();
    }
  });
});

describe('hunt on a terminal', () => {
  it('draws a progress bar on a TTY (run under script(1)), and none with --json', { timeout: cliRuns(2) }, () => {
    const run = (extra: string): string => execFileSync('script', ['-qec', `${process.execPath} ${CLI} hunt abba-ww-backoff revoke-wait-bookkeep --trials 3000 --no-artifacts ${extra}`, '/dev/null'],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const tty = run('');
    expect(tty).toMatch(/scenario 2\/2 revoke-wait-bookkeep +\[[^\]]*\] \d+\/3000 trials/);
    expect(tty).toContain('all 2 expectations met');
    const json = run('--json');
    expect(json).not.toMatch(/\/3000 trials/);
  });
});
