// Every check in warn.ts's table is named by code in at least one test besides this one: a new
// check comes with its must-find test (the tests assert on codes and titles). A guard on the
// test sources, not a proof that the naming test triggers the check.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WARNINGS } from '../../../src/kernel/warn.js';
import { ROOT } from '../../support/cli.js';

/** This file, and the table's pin (which names every check by construction). */
const SKIP: ReadonlySet<string> = new Set(['warn_coverage.test.ts', 'warn_table.test.ts']);

/** The text of every TypeScript test file under `dir` but those SKIP names. */
function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testSources(path);
    return e.name.endsWith('.test.ts') && !SKIP.has(e.name) ? [readFileSync(path, 'utf8')] : [];
  });
}

describe('the checks of the warn table', () => {
  it('are each named by code in a test', () => {
    const text = testSources(join(ROOT, 'test')).join('\n');
    expect(WARNINGS.map((w) => w.name).filter((name) => !new RegExp(`\\b${name}\\b`).test(text))).toEqual([]);
  });
});
