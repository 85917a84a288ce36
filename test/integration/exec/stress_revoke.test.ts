/**
 * The stress scenario is a correct model run: with the final knobs it stays clean over many inline
 * schedules (made finite with `rounds` and `jobs`), every importer attaches (the exporter waits
 * for them before its first revoke), and with an exporter that waits only for
 * KERNEL fences (S1) the importers' WRITE fences are not waited for and the hunters see it.
 * An importer's jobs write the buffer unless their fences are READ.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { ControlledExecutor } from '../../../src/exec/controlled.js';
import {
  STRESS_MAX_DEPTH, STRESS_MAX_IMPORTERS, STRESS_REVOKE_DEFAULTS, W_ATTACH_REFUSED, W_STARTED, importerWindow, stressRevoke,
} from '../../../scenarios/stress-revoke.js';
import { jobDirections } from '../../support/dma_jobs.js';
import { thrown } from '../../support/refusal.js';

const FINITE = { rounds: 3, jobs: 10, pageBytes: 4096 };

function bad(params: Record<string, number | string | boolean>, strategies: readonly string[], trials: number): string[] {
  const out: string[] = [];
  for (const strategy of strategies) {
    const ex = new InlineExecutor(stressRevoke, { strategy, params });
    for (let seed = 0; seed < trials && out.length < 5; seed++) {
      const r = ex.runTrial(seed);
      if (r.end !== 'done' || r.findings.length > 0) out.push(`${strategy} seed ${seed}: ${r.end} ${r.findings.map((f) => f.title).join(', ')}`);
    }
  }
  return out;
}

describe('stress-revoke under inline schedules', () => {
  it.each([
    ['2 importers, 1 engine', {}],
    ['3 importers, 2 engines, pinned', { importers: 3, engines: 2, pin: true }],
    ['4 importers, 2 engines, 3-page jobs, depth 3, reaped one by one', { importers: 4, engines: 2, jobPages: 3, depth: 3, reap: 1 }],
    ['4 importers, 2 engines, a 4-page window per engine', { importers: 4, engines: 2, jobPages: 4, window: 'engine' }],
    ['3 importers, 2 engines, read jobs', { importers: 3, engines: 2, usage: 'read' }],
  ])('stays clean: %s', (_name, extra) => {
    expect(bad({ ...FINITE, ...extra }, ['random', 'pct:2', 'pct:3', 'pos'], 400)).toEqual([]);
  });

  it.each([
    ['reap', { depth: 8, reap: 3 }],
    ['depth', { depth: 17 }],
    ['window', { window: 'shared' }],
  ])('refuses a bad %s with ERR_BAD_OPTION naming it', (name, params) => {
    expect(thrown(() => new InlineExecutor(stressRevoke, { params }).runTrial(0))).toMatch(new RegExp(`^ERR_BAD_OPTION .*param ${name}:`));
  });

  it.each([
    ['the defaults', {}, 'jobs'],
    ['rounds alone', { rounds: 3 }, 'rounds'],
    ['jobs alone', { jobs: 10 }, 'jobs'],
  ])('refuses %s under inline and controlled executors with ERR_BAD_OPTION naming the rule (no trial would end)', (_name, params, named) => {
    for (const make of [() => new InlineExecutor(stressRevoke, { params }), () => new ControlledExecutor(stressRevoke, { params })]) {
      expect(thrown(make)).toMatch(new RegExp(`^ERR_BAD_OPTION .*param ${named}: expected jobs > 0 and rounds > 0`));
    }
  });

  it('revokes only once every importer has attached, so no importer sits a trial out', () => {
    const params = { ...FINITE, importers: 4, engines: 2 };
    for (const strategy of ['random', 'pct:3', 'pos']) {
      const ex = new InlineExecutor(stressRevoke, { strategy, params });
      for (let seed = 0; seed < 100; seed++) {
        const r = ex.runTrial(seed);
        expect([r.user[W_STARTED], r.user[W_ATTACH_REFUSED]], `${strategy} seed ${seed}`).toEqual([4, 0]);
      }
    }
  });

  it.each([
    ['spread', 1, 4, [0, 4, 8, 12, 16, 20, 24, 28]],
    ['engine', 1, 4, [0, 0, 0, 0, 0, 0, 0, 0]],
    ['engine', 2, 4, [0, 4, 0, 4, 0, 4, 0, 4]],
    ['engine', 2, 64, [0, 0, 0, 0, 0, 0, 0, 0]],
  ])('puts the windows of 8 importers (window %s, %i engine(s), %i-page jobs of 64) at %j', (window, engines, jobPages, starts) => {
    const p = { ...STRESS_REVOKE_DEFAULTS, importers: 8, engines, jobPages, window };
    expect(starts.map((_, i) => importerWindow(p, i))).toEqual(starts.map((offset) => ({ offset, pages: jobPages })));
  });

  it('wraps a spread window to the starts a whole job fits at', () => {
    expect(importerWindow({ ...STRESS_REVOKE_DEFAULTS, jobPages: 3 }, 21)).toEqual({ offset: 1, pages: 3 });
  });

  it('has a job row for every slot of the most importers at the deepest queue its checks accept', () => {
    expect(stressRevoke.geometry?.jobs).toBeGreaterThanOrEqual(STRESS_MAX_IMPORTERS * STRESS_MAX_DEPTH);
  });

  it.each(['write', 'read'])('reports the S1 exporter (waits KERNEL fences only) under %s jobs', (usage) => {
    const found = bad({ ...FINITE, revokeWait: 'kernel', usage }, ['random', 'pct:3'], 500);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toMatch(/use-after-revoke|assertion/);
  });
});

describe('stress-revoke job direction', () => {
  it.each([
    ['write', 1], ['read', 0], ['kernel', 1], ['bookkeep', 1],
  ])('submits jobs that write only when their fences allow it (usage %s: JB_WRITE %i)', (usage, write) => {
    const ex = new InlineExecutor(stressRevoke, { params: { ...FINITE, usage } });
    expect(ex.runTrial(0).end).toBe('done');
    expect([...jobDirections(ex.arena)]).toEqual([write]);
  });
});
