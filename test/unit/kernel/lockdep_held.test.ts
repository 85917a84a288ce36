/**
 * Held-lock stacks after a stopped trial (kernel/lockdep_held.ts): a stack belongs to the trial
 * that wrote it and is emptied by its actor's first use in a later one, reading nothing of it
 * but that trial's number. So a trial the watchdog stops while its actor holds locks — or in
 * the middle of a push, whatever words of the stack that left written — hands the next trial an
 * empty stack: no held lock, and no dependency on one.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { lockdepHasEdge, lockdepHeld, lockdepLayout, lockdep_class } from '../../../src/kernel/lockdep.js';
import {
  HELD_CAP, HELD_ENTRY_WORDS, HE_CLASS, HE_COUNT, HE_REF, HS_DEPTH, HS_ENTRIES, HS_LOW, HS_OVERFLOW,
} from '../../../src/kernel/lockdep_layout.js';
import type { Arena } from '../../../src/shm/arena.js';
import { mutex_init, mutex_lock, mutex_unlock, type Task } from '../../fixtures/kernel.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';

const held = scripted('lockdep-held-stop', (t: Task) => ({
  a: mutex_init(t, 'held_a'), b: mutex_init(t, 'held_b'), c: mutex_init(t, 'held_c'),
}));

/**
 * Overwrite actor 0's stack, all but its trial number, as a push cut short anywhere could leave
 * it and as a stack that were read would act on: every entry live, of class `cls`, by lock ref 1.
 */
function scribble(a: Arena, cls: number): void {
  const s = lockdepLayout(a).stack(0);
  const h = a.i32;
  [h[s + HS_LOW], h[s + HS_DEPTH], h[s + HS_OVERFLOW]] = [0, HELD_CAP, 3];
  for (let i = 0; i < HELD_CAP; i++) {
    const e = s + HS_ENTRIES + i * HELD_ENTRY_WORDS;
    [h[e + HE_CLASS], h[e + HE_REF], h[e + HE_COUNT]] = [cls, 1, 1];
  }
}

describe('a trial stopped by the watchdog while its actor holds locks', () => {
  it.each([
    { stack: 'as the stop left it', torn: false },
    { stack: 'torn in every word (a push cut short)', torn: true },
  ])('leaves the next trial an empty held stack ($stack)', ({ torn }) => {
    const ex = new InlineExecutor(held.scenario, { trialTimeoutMs: 100 });
    held.program = function* (t, e) {
      yield* mutex_lock(t, e.a);
      yield* mutex_lock(t, e.b);
      for (;;) { /* never yields: the watchdog stops the trial here */ }
    };
    const stopped = ex.runTrial(0);
    expect(stopped.findings.map((f) => f.title)).toEqual(['hang in watchdog']);
    if (torn) scribble(ex.arena, lockdep_class(ex.arena, 'held_a'));
    let atStart: unknown;
    held.program = function* (t, e) {
      atStart = lockdepHeld(t);
      yield* mutex_lock(t, e.c);
      mutex_unlock(t, e.c);
    };
    const next = ex.runTrial(1);
    expect([next.end, next.findings]).toEqual(['done', []]);
    expect(atStart).toEqual([]);
    const a = ex.arena;
    const [ca, cb, cc] = ['held_a', 'held_b', 'held_c'].map((k) => lockdep_class(a, k));
    expect([lockdepHasEdge(a, ca!, cb!), lockdepHasEdge(a, ca!, cc!), lockdepHasEdge(a, cb!, cc!)]).toEqual([true, false, false]);
    ex.close();
  });
});
