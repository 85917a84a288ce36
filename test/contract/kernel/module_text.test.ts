// Code of a deleted module that still runs (kernel/module/main.c free_module frees its text): a
// task that put refs_text_exporter's entry, kept the pointer and calls it after rmmod enters the
// module's code — MODULE_TEXT_FREED, titled after the module, and the task dies (a BUG, as the
// kernel's page fault in freed module text). Its fixed twin calls the entry only while it holds
// the symbol and stays clean; rmmod unloads in both. Handshakes order the two actors: 8 seeds on
// each executor and strategy.
import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../../../src/exec/result.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { MT, moduleTextAfterDelete, type TextCase } from '../../fixtures/refs/module_text.js';
import { ENTRY_RAN } from '../../fixtures/refs/text_exporter.js';

const SEEDS = 8;
const at = (r: TrialResult): string => `seed ${r.seed}`;
const outcome = (r: TrialResult) => ({ end: r.end, findings: r.findings.map((f) => [f.code, f.title]), rmmod: r.user[MT.RMMOD] });

describe.each(EXECUTORS)('code of a deleted module (%s)', (kind) => {
  const run = (c: TextCase, strategy: string) => runTrials(kind, moduleTextAfterDelete, SEEDS, { params: { case: c }, strategy });

  it.each(['random', 'pct:2'])('a call through a stale pointer after rmmod is a use-after-free of the module text (%s)', async (strategy) => {
    for (const r of await run('stale-pointer', strategy)) {
      expect(outcome(r), at(r)).toEqual({ end: 'bug', findings: [['MODULE_TEXT_FREED', 'use-after-free in refs_text_exporter']], rmmod: 0 });
      expect(r.user[MT.CALLED_AFTER], at(r)).toBe(0);
    }
  });

  it.each(['random', 'pct:2'])('keeps the fixed twin (call while held, then put) clean (%s)', async (strategy) => {
    for (const r of await run('call-then-put', strategy)) {
      expect(outcome(r), at(r)).toEqual({ end: 'done', findings: [], rmmod: 0 });
      expect(r.user[MT.CALLED_BEFORE], at(r)).toBe(ENTRY_RAN);
    }
  });
});
