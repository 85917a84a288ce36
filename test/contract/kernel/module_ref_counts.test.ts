// The trial's module reference counts live in the arena's module table, filled at kernel boot:
// setup finds vfio_pci_core at its base (count 0) and the references every task takes at once
// all count — each task, holding its own, sees one per task — and all go, back to 0; none takes a
// driver-private word (the cursor stays where setup left it). In every schedule (inline,
// controlled) and with ACTORS threads released together from a busy-wait barrier (stress, TRIALS
// trials, one arena reused across them).
import { describe, expect, it } from 'vitest';
import { StressExecutor } from '../../../src/exec/stress.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { FSG, firstSymbolGet } from '../../fixtures/iommufd/first_symbol_get.js';
import { withExecutor } from '../../support/executor.js';

const ACTORS = 6;
const TRIALS = 50;

/** What a trial's user words say: end, gets that found the map, tasks that saw all of them
 *  counted, the count at boot and after, and the private words taken. */
function counts(r: TrialResult): unknown[] {
  const u = r.user;
  return [r.end, u[FSG.GOT], u[FSG.SAW_ALL], u[FSG.COUNT_BOOT], u[FSG.COUNT_AFTER], u[FSG.PRIV_AFTER]! - u[FSG.PRIV_BEFORE]!];
}

const EXPECTED = ['done', ACTORS, ACTORS, 0, 0, 0];

describe.each(EXECUTORS)('first __symbol_get of a trial from every task (%s)', (kind) => {
  it('counts every reference in the module table and takes no driver-private word', async () => {
    for (const r of await runTrials(kind, firstSymbolGet, 5)) expect(counts(r), `seed ${r.seed}`).toEqual(EXPECTED);
  });
});

describe(`${ACTORS} threads taking the first __symbol_get at once (stress)`, () => {
  it(`count every reference, and no driver-private word, in each of ${TRIALS} trials`, async () => {
    await withExecutor(new StressExecutor(firstSymbolGet, { durationMs: 10_000, params: { actors: ACTORS, spin: true } }), async (ex) => {
      const bad: string[] = [];
      for (let seed = 1; seed <= TRIALS; seed++) {
        const got = counts(await ex.runTrial(seed));
        if (JSON.stringify(got) !== JSON.stringify(EXPECTED)) bad.push(`seed ${seed}: ${JSON.stringify(got)}`);
      }
      expect(bad).toEqual([]);
    });
  });
});
