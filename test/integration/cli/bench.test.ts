/** The bench suite checks its `--write` target before measuring anything: a bad target is one
 *  line and exit 2, and the file is left as it was; a script's bad option or unknown scenario name
 *  is likewise refused before any measurement. (The suite is run directly, with a timeout
 *  far below its running time, so a broken check fails fast and leaves no suite running.) */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../../support/cli.js';

const SUITE = join(ROOT, 'dist/bench/run.js');

function suite(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [SUITE, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bench --write', () => {
  it('refuses a missing target with one line naming it, and exit 2', () => {
    const r = suite('--write', join(tempDir(), 'missing.md'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/missing\.md: /);
    expect(r.stdout).toBe('');
  });

  it('refuses a target without bench markers and leaves it untouched', () => {
    const path = join(tempDir(), 'BENCHMARKS.md');
    writeFileSync(path, '# Benchmarks\n\nno markers\n');
    const r = suite('--write', path);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/BENCHMARKS\.md: /);
    expect(readFileSync(path, 'utf8')).toBe('# Benchmarks\n\nno markers\n');
  });

  it('refuses an unknown option with one line and exit 2', () => {
    const r = suite('--frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    ['dist/bench/scaling.js', '--seconds', '0'],
    ['dist/bench/scaling.js', '--runs', '1.5'],
    ['dist/bench/copy_probe.js', '--seconds', 'Infinity'],
    ['dist/bench/copy_probe.js', '--page', '1'],
    ['dist/bench/scaling.js', '--pages', '64K,1G'],
    ['dist/bench/dma_check.js', '--reps', '0'],
    ['dist/bench/wake.js', '--nappers', '1,x'],
    ['dist/bench/watch_cost.js', '--rounds', '0'],
    ['dist/bench/memory.js', '--minutes', '2'],
    ['dist/bench/memory.js', '--sample-s', '121'],
    ['dist/bench/locks.js', '--seconds', '3'],
    ['dist/bench/first_finding.js', '--seeds', '3'],
    ['dist/bench/hunt_rate.js', '--executor', 'threads'],
    ['dist/bench/stress_progress.js', '--ms', '0'],
  ])('%s refuses %s %s with one line naming it and exit 2', (script, flag, value) => {
    const r = spawnSync(process.execPath, [join(ROOT, script), flag, value], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(flag);
  });

  it.each([['dist/bench/hunt_rate.js'], ['dist/bench/carried_cost.js']])('%s refuses an unknown scenario after a known one before measuring either: exit 2, no row', (script) => {
    const r = spawnSync(process.execPath, [join(ROOT, script), '--seconds', '5', 'abba-no-ctx', 'no-such-scenario'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no-such-scenario');
  });
});
