// Reclaimed fence rows and DMA address ranges do not blind the detectors: in a race where the
// stale use lands sometimes before and sometimes after the reuse, the buggy variant is found with
// one title either way, and its fixed twin stays clean (inline and controlled).
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../src/exec/inline.js';
import type { AnyScenario } from '../../src/exec/scenario.js';
import { BORROW, fenceBorrowed, fenceBorrowedRef } from '../fixtures/reuse/borrowed_fence.js';
import { KEPT, dmaAddressDropped, dmaAddressKept } from '../fixtures/reuse/kept_address.js';
import { expectClean, expectFound } from '../support/mustfind.js';

const PAIRS: readonly [string, AnyScenario, AnyScenario, number][] = [
  ['fence', fenceBorrowed, fenceBorrowedRef, BORROW.REUSED_AT_USE],
  ['DMA address', dmaAddressKept, dmaAddressDropped, KEPT.REUSED_AT_USE],
];

/** Titles of the expected finding over `trials` random inline trials, split by whether the row was reused at the use. */
function titlesByReuse(s: AnyScenario, reusedWord: number, trials: number): { before: Set<string>; after: Set<string> } {
  const out = { before: new Set<string>(), after: new Set<string>() };
  const ex = new InlineExecutor(s, { strategy: 'random', leakCheck: false });
  for (let seed = 0; seed < trials; seed++) {
    const r = ex.runTrial(seed);
    for (const f of r.findings.filter((g) => g.kind === s.expect)) (r.user[reusedWord] === 1 ? out.after : out.before).add(f.title);
  }
  return out;
}

describe.each(PAIRS)('stale %s handle after reuse', (_what, buggy, fixed, reusedWord) => {
  it(`finds ${buggy.name} as ${buggy.expect} within 1,000 inline trials`, () => {
    expectFound(buggy);
  });

  it(`reports ${buggy.name} after the row was reused with titles it has before any reuse`, () => {
    const { before, after } = titlesByReuse(buggy, reusedWord, 300);
    expect(after.size).toBeGreaterThan(0);
    expect([...after].filter((title) => !before.has(title))).toEqual([]);
  });

  it(`keeps ${fixed.name} clean over 20,000 inline and 500 controlled trials`, async () => {
    await expectClean(fixed);
  }, 120_000);
});
