// The trial's module reference words are allocated once, however many tasks take the trial's
// first run-time module reference at once: the private-word cursor ends one allocation
// (moduleRefWords) past where setup left it — in every schedule (inline, controlled) and with
// ACTORS threads released together from a busy-wait barrier (stress, TRIALS trials).
import { describe, expect, it } from 'vitest';
import { StressExecutor } from '../../../src/exec/stress.js';
import { moduleRefWords } from '../../../src/kernel/module/module_ref.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { FSG, FSG_MODULES, firstSymbolGet } from '../../fixtures/iommufd/first_symbol_get.js';

const ACTORS = 6;
const TRIALS = 50;
const ONE = moduleRefWords(FSG_MODULES.length);

describe.each(EXECUTORS)('first __symbol_get of a trial from every task (%s)', (kind) => {
  it('allocates the module reference words once', async () => {
    for (const r of await runTrials(kind, firstSymbolGet, 5)) {
      expect([r.end, r.user[FSG.GOT], r.user[FSG.PRIV_AFTER]! - r.user[FSG.PRIV_BEFORE]!]).toEqual(['done', ACTORS, ONE]);
    }
  });
});

describe(`${ACTORS} threads taking the first __symbol_get at once (stress)`, () => {
  it(`leave the private-word cursor one allocation on in each of ${TRIALS} trials`, async () => {
    const ex = new StressExecutor(firstSymbolGet, { durationMs: 10_000, params: { actors: ACTORS, spin: true } });
    try {
      const extra: number[] = [];
      for (let seed = 1; seed <= TRIALS; seed++) {
        const r = await ex.runTrial(seed);
        expect([r.end, r.user[FSG.GOT]]).toEqual(['done', ACTORS]);
        extra.push(r.user[FSG.PRIV_AFTER]! - r.user[FSG.PRIV_BEFORE]! - ONE);
      }
      expect(extra).toEqual(Array.from({ length: TRIALS }, () => 0));
    } finally {
      await ex.close();
    }
  });
});
