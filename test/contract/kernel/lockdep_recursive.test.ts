/**
 * lockdep's check_deadlock for plain mutexes: a task blocking on a mutex whose class (key and
 * subclass) it already holds is "possible recursive locking detected" (LOCK_RECURSIVE, titled
 * after mutex_lock); two classes, or the inner lock taken as another subclass with
 * mutex_lock_nested, are not. A subclass is a class of its own, named `<class>/<subclass>`, and
 * its order after the outer class is an ordinary dependency.
 *
 * Must-find pair: the same-class variant within 20 inline trials (every schedule nests); the
 * distinct-class and subclass variants clean over 3,000 inline and 50 controlled trials.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { lockdepClassName, lockdepHasEdge, lockdepSubclass, lockdep_class } from '../../../src/kernel/lockdep.js';
import {
  NEST_CLASS, SINGLE_DEPTH_NESTING, mutexNestedDistinctClass, mutexNestedSameClass, mutexNestedSubclass,
} from '../../fixtures/lockdep/nested.js';
import { runTrials } from '../../support/both.js';
import { expectClean, firstFound } from '../../support/mustfind.js';

const RECURSIVE = ['LOCK_RECURSIVE', 'assertion in mutex_lock (possible recursive locking detected)'];

describe('nested plain mutexes', () => {
  it('reports two of one class nested, once per task, within 20 inline trials', () => {
    const r = firstFound(mutexNestedSameClass, 20);
    expect(r).toBeDefined();
    expect(r!.findings.map((f) => [f.code, f.title]).sort()).toEqual([RECURSIVE, RECURSIVE]);
    expect(r!.findings.map((f) => f.actor).sort()).toEqual([0, 1]);
  });

  it('reports them on worker threads too', async () => {
    for (const r of await runTrials('controlled', mutexNestedSameClass, 2)) {
      expect(r.findings.map((f) => [f.code, f.title])).toEqual([RECURSIVE, RECURSIVE]);
    }
  });

  it.each([['two classes', mutexNestedDistinctClass], ['the inner one as subclass 1', mutexNestedSubclass]])(
    'keeps them clean with %s over 3,000 inline and 50 controlled trials',
    async (_how, s) => { await expectClean(s, 3000, 50); },
    60_000,
  );

  it('validates the subclass as its own class `nest_class/1`, ordered after the class', () => {
    const ex = new InlineExecutor(mutexNestedSubclass);
    expect(ex.runTrial(0).findings).toEqual([]);
    const base = lockdep_class(ex.arena, NEST_CLASS);
    const sub = lockdepSubclass(ex.arena, base, SINGLE_DEPTH_NESTING);
    expect([sub !== base, lockdepClassName(ex.arena, sub)]).toEqual([true, `${NEST_CLASS}/1`]);
    expect([lockdepHasEdge(ex.arena, base, sub), lockdepHasEdge(ex.arena, sub, base)]).toEqual([true, false]);
  });
});
