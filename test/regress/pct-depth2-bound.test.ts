import { describe, expect, it } from 'vitest';
import { defineScenario } from '../../src/exec/scenario.js';
import { InlineExecutor } from '../../src/exec/inline.js';
import { PctScheduler } from '../../src/sched/pct.js';
import { schedViews } from '../../src/exec/prepare.js';
import { cond_resched, type KGen, type Task } from '../../src/kernel/index.js';

/** The step estimate PCT learned in `ex`'s arena (a persistent word every PCT depth shares). */
function learnedK(ex: { readonly arena: InlineExecutor['arena'] }): number {
  return new PctScheduler(schedViews(ex.arena), 2).learnedK();
}

const X = 0;
const Y = 1;
const HIT = 2;

/**
 * A depth-2 bug: the checker must run after the writer's first store and before its second —
 * two ordering constraints. Both actors have a few scheduling points around them.
 */
const depth2 = defineScenario({
  name: 'pct-depth2', module: import.meta.url, params: { pad: 4 }, expect: 'assertion',
  setup: () => ({}),
  actors: (p) => [
    { name: 'writer', run: function* (t: Task): KGen<void> {
      for (let i = 0; i < p.pad; i++) yield* cond_resched(t, i);
      t.store(X, 1);
      for (let i = 0; i < p.pad; i++) yield* cond_resched(t, i);
      t.store(Y, 1);
    } },
    { name: 'checker', run: function* (t: Task): KGen<void> {
      for (let i = 0; i < 2; i++) yield* cond_resched(t, i);
      if (t.load(X) === 1 && t.load(Y) === 0) t.store(HIT, 1);
    } },
  ],
});

describe('PCT guarantee', () => {
  it('hits a depth-2 bug with pct:2 at least 1/(n·k) of 10,000 trials', () => {
    const ex = new InlineExecutor(depth2, { strategy: 'pct:2' });
    ex.runTrial(0);
    let hits = 0;
    const trials = 10_000;
    for (let seed = 1; seed <= trials; seed++) hits += ex.runTrial(seed).user[HIT]!;
    const k = learnedK(ex);
    const bound = 1 / (2 * k);
    expect(k).toBeGreaterThan(2);
    expect(hits / trials).toBeGreaterThanOrEqual(bound);
  });

  it('never hits it with pct:1 (no preemption point)', () => {
    const ex = new InlineExecutor(depth2, { strategy: 'pct:1' });
    let hits = 0;
    for (let seed = 0; seed < 2000; seed++) hits += ex.runTrial(seed).user[HIT]!;
    expect(hits).toBe(0);
  });
});

/** A quarter of the trials livelock (both actors spin forever, so PCT counts every step). */
const sometimesLivelocks = defineScenario({
  name: 'pct-livelock', module: import.meta.url, params: {}, expect: 'hang',
  setup: () => ({}),
  actors: () => [0, 1].map((i) => ({
    name: `a${i}`,
    run: function* (t: Task): KGen<void> {
      const spin = t.rng.below(2) === 0;
      for (let k = 0; spin || k < 3; k++) yield* cond_resched(t, k & 0xff);
    },
  })),
});

describe('PCT learning', () => {
  it('does not learn its step estimate from trials that hit the step bound', () => {
    const ex = new InlineExecutor(sometimesLivelocks, { strategy: 'pct:2', stepLimit: 500 });
    let bounded = 0;
    for (let seed = 0; seed < 40; seed++) bounded += ex.runTrial(seed).end === 'step-limit' ? 1 : 0;
    const k = learnedK(ex);
    expect(bounded).toBeGreaterThan(0);
    expect(k).toBeLessThan(20);
  });
});
