/** The bench report opens with what ran, when, on which commit and machine. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitOf, reportHeader, utcMinute } from '../../../bench/report_header.js';
import { ROOT, tempDir } from '../../support/cli.js';

describe('bench report header', () => {
  it('names the commit of a checkout, and says when there is none', () => {
    expect(commitOf(ROOT)).toMatch(/^[0-9a-f]{7,}( with uncommitted changes)?$/);
    expect(commitOf(tempDir())).toBe('no git checkout');
  });

  it('notes uncommitted changes, except in the report\'s own target, and only for the top of a checkout', () => {
    const dir = tempDir();
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' }).trim();
    git('init', '-q');
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'BENCHMARKS.md'), 'old\n');
    writeFileSync(join(dir, 'code.ts'), 'old\n');
    git('add', '-A');
    git('commit', '-qm', 'first');
    const head = git('rev-parse', '--short', 'HEAD');
    writeFileSync(join(dir, 'docs', 'BENCHMARKS.md'), 'the last run\n');
    expect(commitOf(dir, join(dir, 'docs', 'BENCHMARKS.md'))).toBe(head);
    const link = join(tempDir(), 'checkout');
    symlinkSync(dir, link);
    expect(commitOf(dir, join(link, 'docs', 'BENCHMARKS.md')), 'the target named through a symbolic link').toBe(head);
    expect(commitOf(dir)).toBe(`${head} with uncommitted changes`);
    writeFileSync(join(dir, 'code.ts'), 'new\n');
    expect(commitOf(dir, join(dir, 'docs', 'BENCHMARKS.md'))).toBe(`${head} with uncommitted changes`);
    expect(commitOf(join(dir, 'docs'))).toBe('no git checkout');
  });

  it('writes the start in UTC to the minute', () => {
    expect(utcMinute(new Date(Date.UTC(2026, 10, 22, 5, 7, 59)))).toBe('2026-11-22 05:07 UTC');
  });

  it('opens with the command and commit, and adds the host probe when there was one', () => {
    const facts = { command: 'node dist/bench/run.js', started: new Date(0), commit: 'abc1234' };
    expect(reportHeader(facts).split('\n')).toHaveLength(1);
    expect(reportHeader(facts)).toMatch(/^`node dist\/bench\/run\.js`, started 1970-01-01 00:00 UTC at commit abc1234; \d+ CPUs/);
    const summary = { probes: 30, best: 110e9, median: 105e9, lowest: 90e9, slowShare: 0, longestSlowSec: 0, longestSlowAtSec: NaN };
    expect(reportHeader({ ...facts, probe: { summary, what: '3 s of 64 KiB copy probes' } }).split('\n')[1]).toMatch(/^Host just before \(3 s of 64 KiB copy probes\): /);
  });
});
