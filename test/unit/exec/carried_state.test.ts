/**
 * A trial the inline watchdog stopped while this thread was starved runs again with what it found
 * carried over from earlier trials put back (CarriedState): the rerun reports what an unstopped
 * trial reports — the lockdep cycle whose closing edge the stopped run had already added — and
 * leaves the trial counter as an unstopped trial does.
 */
import { describe, expect, it } from 'vitest';
import { CarriedState } from '../../../src/exec/carried_state.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { ENOENT } from '../../../src/errno/errno.js';
import { Arena } from '../../../src/shm/arena.js';
import { C_TRIAL } from '../../../src/shm/layout.js';
import { abbaStalledOnce } from '../../fixtures/exec/abba_stalled_once.js';
import { ranPerWatch } from '../../fixtures/exec/ran_per_watch.js';
import { punctualWatch } from '../../fixtures/exec/watches.js';
import { withExecutorSync } from '../../support/executor.js';

const TIMEOUT_MS = 100;

/** The first trial's finding codes and trial counter, on an executor whose first run stalls or not. */
function firstTrial(stalls: boolean, read = ranPerWatch(10)): { codes: string[]; trial: number } {
  return withExecutorSync(new InlineExecutor(abbaStalledOnce(stalls), { trialTimeoutMs: TIMEOUT_MS, readRunNs: read, watch: punctualWatch }), (ex) => {
    const r = ex.runTrial(0);
    return { codes: r.findings.map((f) => f.code), trial: ex.arena.ctl(C_TRIAL) };
  });
}

describe('carried state of a starved rerun', () => {
  it('reports the lockdep cycle an unstopped trial reports, though the stopped run added its edge', () => {
    const read = ranPerWatch(10);
    const rerun = firstTrial(true, read);
    expect(read.calls).toBe(4); // around the stopped run, and around the rerun (it ran within the limit)
    expect(rerun.codes).toEqual(['LOCKDEP_CIRCULAR']);
    expect(rerun.codes).toEqual(firstTrial(false).codes);
  });

  it('leaves the trial counter as an unstopped trial does', () => {
    expect(firstTrial(true).trial).toBe(firstTrial(false).trial);
  });

  it('reports the cycle from a slice\'s stopped trial run again', () => {
    withExecutorSync(new InlineExecutor(abbaStalledOnce(true), { trialTimeoutMs: TIMEOUT_MS, readRunNs: ranPerWatch(10), watch: punctualWatch }), (ex) => {
      const slice = ex.runSlice({ strategies: ['random'], from: 0, to: 1000, base: 0, ms: 20 });
      expect(slice.hung).toBe(false);
      expect(slice.kept[0]?.result.findings.map((f) => f.code)).toEqual(['LOCKDEP_CIRCULAR']);
      expect(ex.arena.ctl(C_TRIAL)).toBe(slice.ran);
    });
  });

  it('puts nothing back before anything was taken (-ENOENT)', () => {
    const a = Arena.create({ actors: 2 });
    a.setCtl(C_TRIAL, 7);
    expect(new CarriedState(a).restore()).toBe(-ENOENT);
    expect(a.ctl(C_TRIAL)).toBe(7);
    a.release();
  });
});
