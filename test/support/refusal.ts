/**
 * Asserting a command-line refusal: exit code 2 and one stderr line carrying the HarnessError
 * code and naming what is wrong (the file, the field or option); a replay file to refuse; and
 * what a library call refuses.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { HarnessError, type ErrorCode } from '../../src/errno/errors.js';
import { cliInProcess, tempDir, type CliRun } from './cli.js';

/** Exit 2 and one stderr line with `[code]` (when given) and every one of `needles`. */
export function expectRefusal(r: Pick<CliRun, 'code' | 'stderr'>, code: ErrorCode | undefined, needles: readonly string[]): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  if (code !== undefined) expect(lines[0]).toContain(`[${code}]`);
  for (const needle of needles) expect(lines[0]).toContain(needle);
}

/**
 * Run `args` in this process with `--out` a fresh path named `outName`: a refusal (exit 2, one
 * stderr line) containing `needle`, and nothing written at that path.
 */
export async function expectRefusedWritingNothing(outName: string, needle: string, args: readonly string[]): Promise<void> {
  const out = join(tempDir(), outName);
  expectRefusal(await cliInProcess(...args, '--out', out), undefined, [needle]);
  expect(existsSync(out)).toBe(false);
}

/** Replay files recorded in this test file, by `scenario kind`; their directory outlives each test. */
const recordings = new Map<string, string>();
let recordingsDir: string | undefined;
afterAll(() => {
  if (recordingsDir !== undefined) rmSync(recordingsDir, { recursive: true, force: true });
});

/** Record the replay file of the first `kind` finding a hunt of `scenario` (in this process) writes. */
async function record(scenario: string, kind: string): Promise<string> {
  recordingsDir ??= mkdtempSync(join(tmpdir(), 'dmabuf-harness-recorded-'));
  const r = await cliInProcess('hunt', scenario, '--out', mkdtempSync(join(recordingsDir, 'out-')), '--json');
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as { findings: { kind: string; replayFile: string }[] }[];
  return doc[0]!.findings.find((f) => f.kind === kind)!.replayFile;
}

/**
 * A replay file of the first `kind` finding a hunt of `scenario` records, in a temp dir of the
 * current test's own (a test may edit it). The hunt runs once per test file: it is deterministic
 * (seed 1), so every test gets a copy of the same recording.
 */
export async function recordedReplay(scenario = 'abba-no-ctx', kind = 'deadlock'): Promise<string> {
  const key = `${scenario} ${kind}`;
  let file = recordings.get(key);
  if (file === undefined) recordings.set(key, file = await record(scenario, kind));
  const copy = join(tempDir(), basename(file));
  copyFileSync(file, copy);
  return copy;
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
