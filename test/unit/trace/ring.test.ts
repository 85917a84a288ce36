import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { dumpText, dumpTextMarked, readEvents, type TraceEvent } from '../../../src/trace/ring.js';
import { EV_PIN } from '../../../src/trace/ops.js';
import { C_STEP, G_STEP, packOp } from '../../../src/shm/layout.js';
import { phys_alloc, phys_free } from '../../../src/kernel/index.js';
import { abbaWwBackoff } from '../../../scenarios/abba-ww-backoff.js';
import { bootTask } from '../kernel/module/support.js';

describe('trace rings', () => {
  it('dump one line per event in sequence order, naming actors, ops and errno results', () => {
    const ex = new InlineExecutor(abbaWwBackoff, { strategy: 'pct:2', events: true });
    let text = '';
    for (let seed = 0; seed < 500 && !text.includes('-EDEADLK'); seed++) {
      const r = ex.runTrial(seed);
      text = dumpText(r.events ?? [], ex.actorNames);
      const seqs = (r.events ?? []).map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(text.split('\n')).toHaveLength(r.events!.length);
    }
    expect(text).toMatch(/^# +\d+ {2}step +\d+ {2}T[12] +acquired mutex \d+/m);
    expect(text).toMatch(/-EDEADLK mutex \d+/);
    expect(text).toMatch(/done obj 0/);
  });

  it('events carry the decision step findings and their reports name ("at step N")', () => {
    const t = bootTask();
    const p = phys_alloc(t, 0);
    Atomics.store(t.i32, t.ctl + C_STEP, 7);
    t.trace(packOp(EV_PIN, 3));
    phys_free(t, p);
    phys_free(t, p);
    Atomics.store(t.i32, t.ctl + C_STEP, 9);
    t.trace(packOp(EV_PIN, 4));
    expect(readEvents(t.arena, 1).map((e) => [e.obj, e.step])).toEqual([[3, 7], [4, 9]]);
    expect(t.i32[t.arena.finding(0) + G_STEP]).toBe(7);
    expect(dumpText(readEvents(t.arena, 1), ['T']).split('\n').map((l) => /step +(\d+)/.exec(l)?.[1])).toEqual(['7', '9']);
  });

  it.each([
    ['after the last event of its step', 5, 2, ['#', '#', '>', '#']],
    ['after the last event before its step when none is at it', 6, 2, ['#', '#', '>', '#']],
    ['first when its step precedes every event', 1, 0, ['>', '#', '#', '#']],
    ['last when its step follows every event', 9, 1, ['#', '#', '#', '>']],
    ['of the trial\'s end (actor -1: a leak) last', 9, -1, ['#', '#', '#', '>']],
  ])('marks a finding %s', (_where, step, actor, shape) => {
    const ev = (seq: number, s: number): TraceEvent => ({ seq, actor: 0, op: EV_PIN, obj: seq, aux: 0, ret: 0, step: s });
    const lines = dumpTextMarked([ev(1, 3), ev(2, 5), ev(3, 7)], ['A', 'B'], { step, actor, title: 'leak in x' }).split('\n');
    expect(lines.map((l) => l[0])).toEqual(shape);
    const mark = lines.find((l) => l.startsWith('>'))!;
    expect(mark).toMatch(new RegExp(`step ${step} +${actor < 0 ? 'trial end' : ['A', 'B', 'setup'][actor]} +finding: leak in x$`));
  });
});
