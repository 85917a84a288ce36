// __symbol_put of a name nothing exports is the kernel's BUG_ON(!find_symbol(&fsa)) in
// __symbol_put (kernel/module/main.c): SYMBOL_PUT_UNKNOWN, and the task dies (the trial ends as a
// BUG) — for a name never exported and for the export of a module deleted since. A balanced
// __symbol_get / __symbol_put stays clean and lets rmmod unload. One actor: 4 seeds on each executor.
import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../../../src/exec/result.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { SP, symbolPutUnknown, type SymbolPutCase } from '../../fixtures/refs/symbol_put.js';

const SEEDS = 4;
const at = (r: TrialResult): string => `seed ${r.seed}`;
const run = (kind: (typeof EXECUTORS)[number], c: SymbolPutCase) => runTrials(kind, symbolPutUnknown, SEEDS, { params: { case: c } });
const outcome = (r: TrialResult) => ({ end: r.end, findings: r.findings.map((f) => [f.code, f.title]), done: r.user[SP.DONE] });
const BUG = { end: 'bug', findings: [['SYMBOL_PUT_UNKNOWN', 'assertion in __symbol_put']], done: 0 };

describe.each(EXECUTORS)('__symbol_put of a name nothing exports (%s)', (kind) => {
  it('BUGs for a name never exported', async () => {
    for (const r of await run(kind, 'unknown')) expect(outcome(r), at(r)).toEqual(BUG);
  });

  it('BUGs for the export of a module deleted since', async () => {
    for (const r of await run(kind, 'after-rmmod')) {
      expect(outcome(r), at(r)).toEqual(BUG);
      expect([r.user[SP.GOT], r.user[SP.RMMOD]], at(r)).toEqual([1, 0]);
    }
  });

  it('keeps the balanced twin (get, put, rmmod) clean', async () => {
    for (const r of await run(kind, 'balanced')) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', findings: [], done: 1 });
      expect([r.user[SP.GOT], r.user[SP.RMMOD]], at(r)).toEqual([1, 0]);
    }
  });
});
