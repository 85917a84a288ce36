/**
 * Asserting a command-line refusal: exit code 2 and one stderr line carrying the HarnessError
 * code and naming what is wrong (the file, the field or option); a replay file to refuse; and
 * what a library call refuses.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { HarnessError, type ErrorCode } from '../../src/errno/errors.js';
import { cli, tempDir, type CliRun } from './cli.js';

/** Exit 2 and one stderr line with `[code]` (when given) and every one of `needles`. */
export function expectRefusal(r: Pick<CliRun, 'code' | 'stderr'>, code: ErrorCode | undefined, needles: readonly string[]): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  if (code !== undefined) expect(lines[0]).toContain(`[${code}]`);
  for (const needle of needles) expect(lines[0]).toContain(needle);
}

/** The replay file of the first `kind` finding a hunt of `scenario` records (in a temp dir). */
export function recordedReplay(scenario = 'abba-no-ctx', kind = 'deadlock'): string {
  const r = cli('hunt', scenario, '--out', join(tempDir(), 'out'), '--json');
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as { findings: { kind: string; replayFile: string }[] }[];
  return doc[0]!.findings.find((f) => f.kind === kind)!.replayFile;
}

/** Rewrite the JSON file at `file` with `edit`. */
export function editJson(file: string, edit: (d: Record<string, unknown>) => Record<string, unknown>): void {
  writeFileSync(file, JSON.stringify(edit(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)));
}

/** `CODE message` of the HarnessError `f` throws; '' when it returns (another error is rethrown). */
export function thrown(f: () => unknown): string {
  try {
    f();
    return '';
  } catch (err) {
    if (err instanceof HarnessError) return `${err.code} ${err.message}`;
    throw err;
  }
}
