/**
 * A slice hands back counts for every trial and the result only of the trials its caller keeps:
 * a clean scenario's slice keeps nothing, a buggy one's keeps what `keep` accepts (by default
 * every trial with findings; a hunt's firstOfTitle, the first trial of each title and kind). The
 * counts match the trials run one by one.
 */
import { describe, expect, it } from 'vitest';
import { firstOfTitle } from '../../../src/campaign/hunt.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { TrialResult } from '../../../src/exec/result.js';
import { SliceBuilder, type Slice } from '../../../src/exec/slice.js';
import { Arena } from '../../../src/shm/arena.js';
import type { AnyScenario } from '../../../src/exec/scenario.js';
import { catalogScenarioNamed } from '../../../scenarios/index.js';
import { withExecutorSync } from '../../support/executor.js';

const scenario = (name: string): AnyScenario => catalogScenarioNamed(name)!;
const TRIALS = 200;

function sliceOf(name: string, keep?: (r: TrialResult) => boolean): Slice {
  return withExecutorSync(new InlineExecutor(scenario(name)), (ex) =>
    ex.runSlice({ strategies: ['random', 'pct:2'], from: 0, to: TRIALS, base: 7, ms: 60_000, keep }));
}

function oneByOne(name: string): { steps: number; withFindings: number[]; titles: Map<string, number> } {
  const out = { steps: 0, withFindings: [] as number[], titles: new Map<string, number>() };
  withExecutorSync(new InlineExecutor(scenario(name)), (ex) => {
    for (let i = 0; i < TRIALS; i++) {
      const r = ex.runSlice({ strategies: ['random', 'pct:2'], from: i, to: i + 1, base: 7, ms: 60_000, keep: () => true }).kept[0]!.result;
      out.steps += r.steps;
      if (r.findings.length > 0) out.withFindings.push(i);
      for (const f of r.findings) if (!out.titles.has(f.title)) out.titles.set(f.title, i);
    }
  });
  return out;
}

describe('a slice', () => {
  it(`of a clean scenario counts its ${TRIALS} trials and keeps none of their results`, () => {
    const s = sliceOf('fence-seqno-checked');
    expect([s.ran, s.kept.length, s.hung, s.dropped]).toEqual([TRIALS, 0, false, 0]);
    expect(s.steps).toBe(oneByOne('fence-seqno-checked').steps);
  });

  it('of a buggy scenario keeps, by default, exactly the trials with findings', () => {
    const s = sliceOf('abba-no-ctx');
    const ref = oneByOne('abba-no-ctx');
    expect(ref.withFindings.length).toBeGreaterThan(0);
    expect(s.kept.map((t) => t.trial)).toEqual(ref.withFindings);
    expect(s.kept.every((t) => t.decisions.length === t.result.steps)).toBe(true);
  });

  it('keeps, with a hunt\'s firstOfTitle, only the first trial of each title', () => {
    const s = sliceOf('abba-no-ctx', firstOfTitle());
    const ref = oneByOne('abba-no-ctx');
    expect(s.ran).toBe(TRIALS);
    expect(s.kept.map((t) => t.trial)).toEqual([...new Set(ref.titles.values())].sort((a, b) => a - b));
  });

  it('runs its first trial though the watch ran out before it started', () => {
    // The first read of the strategies never returns: the slice's watch runs out before trial 0
    // starts, as it does when this thread is kept off the CPU from the watch's start.
    let reads = 0;
    const strategies = new Proxy(['random'], {
      get: (t, k, rcv): unknown => {
        if (k === '0' && reads++ === 0) for (;;) { /* starved: no trial started */ }
        return Reflect.get(t, k, rcv) as unknown;
      },
    });
    const s = withExecutorSync(new InlineExecutor(scenario('abba-no-ctx'), { trialTimeoutMs: 100 }), (ex) =>
      ex.runSlice({ strategies, from: 0, to: 10, base: 7, ms: 10 }));
    expect([s.ran, s.hung, s.kept.map((t) => t.trial)]).toEqual([1, false, [0]]);
    const alone = withExecutorSync(new InlineExecutor(scenario('abba-no-ctx')), (ex) => ex.runTrial(7));
    expect(s.kept[0]!.result.findings.map((f) => f.title)).toEqual(alone.findings.map((f) => f.title));
  });

  it('counts a trial cut inside its keep, then added again, once', () => {
    let calls = 0;
    const cutFirst = (): boolean => { if (calls++ === 0) throw new Error('watchdog cut'); return true; };
    const b = new SliceBuilder(Arena.create(), cutFirst);
    const r: TrialResult = { seed: 7, end: 'done', steps: 12, findings: [], user: [], dropped: 2 };
    expect(() => b.add(3, 'random', r)).toThrow('watchdog cut');
    expect(b.count).toBe(0);
    b.add(3, 'random', r, true);
    const s = b.done();
    expect([s.ran, s.steps, s.dropped, s.kept.map((t) => t.trial)]).toEqual([1, 12, 2, [3]]);
  });

  it('counts a trial cut after its steps were read, then added again, once (steps, dropped and ran each once)', () => {
    const b = new SliceBuilder(Arena.create(), () => false);
    let reads = 0;
    const cutOnce = { seed: 7, end: 'done', steps: 12, findings: [], user: [] } as unknown as TrialResult;
    // The cut lands on the first read of `dropped`, after `steps` was read (a V8 termination at any
    // point of add): the old add had counted the steps by then, and counted them again on the re-add.
    Object.defineProperty(cutOnce, 'dropped', { get: () => { if (reads++ === 0) throw new Error('watchdog cut'); return 2; } });
    expect(() => b.add(3, 'random', cutOnce)).toThrow('watchdog cut');
    b.add(3, 'random', cutOnce, true);
    const s = b.done();
    expect([s.ran, s.steps, s.dropped]).toEqual([1, 12, 2]);
  });

  it('asks keep about a trial added again with keepAnyway, so a hunt\'s firstOfTitle learns its titles', () => {
    const asked: TrialResult[] = [];
    const b = new SliceBuilder(Arena.create(), (x) => { asked.push(x); return false; });
    const r: TrialResult = { seed: 7, end: 'done', steps: 12, findings: [], user: [], dropped: 0 };
    b.add(3, 'random', r, true);
    expect([asked, b.done().kept.map((t) => t.trial)]).toEqual([[r], [3]]);
  });

  it('counts a trial added again (the re-add after a watchdog cut inside add) once', () => {
    const b = new SliceBuilder(Arena.create(), () => true);
    const r: TrialResult = { seed: 7, end: 'done', steps: 12, findings: [], user: [], dropped: 2 };
    b.add(3, 'random', r);
    b.add(3, 'random', r, true);
    b.add(4, 'random', { ...r, steps: 5, dropped: 0 });
    const s = b.done();
    expect([s.ran, s.steps, s.dropped, s.hung, s.kept.map((t) => t.trial)]).toEqual([2, 17, 2, false, [3, 4]]);
  });
});
