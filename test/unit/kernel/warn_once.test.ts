// Task.warnOnce (WARN_ONCE): the first task to warn a check this trial records it, on its object;
// every later warning of that check, by any task on any object, records nothing — not even a lost
// record when the findings table is full — until the trial is reset. refcount_warn goes through it.
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { C_FINDINGS_LOST, C_NFINDINGS, EXEC_INLINE, G_CODE, G_OBJ, G_REPEATS, WAIT_SLEEP } from '../../../src/shm/layout.js';
import { refcount_warn } from '../../../src/kernel/kref.js';
import { Task } from '../../../src/kernel/task.js';
import { WARNINGS, warnCode } from '../../../src/kernel/warn.js';

const RESET = { actors: 2, mode: EXEC_INLINE, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 } as const;

function tasks(findings = 4): [Arena, Task, Task] {
  const a = Arena.create({ findings });
  a.resetTrial(RESET);
  return [a, new Task(a, 0, 'a'), new Task(a, 1, 'b')];
}

/** [warning, object, repeats] of every slot in use. */
function slots(a: Arena): [string, number, number][] {
  return Array.from({ length: a.ctl(C_NFINDINGS) }, (_, i) => {
    const g = a.finding(i);
    return [WARNINGS[a.i32[g + G_CODE]! - 1]!.name, a.i32[g + G_OBJ]!, a.i32[g + G_REPEATS]!];
  });
}

describe('Task.warnOnce', () => {
  it('records a check the first time it is warned, by whichever task on whichever object, and each check apart', () => {
    const [a, t, u] = tasks();
    expect([t.warnOnce('KREF_PUT_UNDERFLOW', 5), u.warnOnce('KREF_PUT_UNDERFLOW', 6), t.warnOnce('KREF_PUT_UNDERFLOW', 5)]).toEqual([true, false, false]);
    expect(u.warnOnce('KREF_GET_ZERO', 6)).toBe(true);
    expect(slots(a)).toEqual([['KREF_PUT_UNDERFLOW', 5, 0], ['KREF_GET_ZERO', 6, 0]]);
  });

  it('warns again after a trial reset, as after a reboot', () => {
    const [a, t] = tasks();
    t.warnOnce('FENCE_PUT_UNDERFLOW', 1);
    a.resetTrial(RESET);
    expect(t.warnOnce('FENCE_PUT_UNDERFLOW', 2)).toBe(true);
    expect(slots(a)).toEqual([['FENCE_PUT_UNDERFLOW', 2, 0]]);
  });

  it('has a bit for the highest warning code', () => {
    const [a, t] = tasks();
    const last = WARNINGS[WARNINGS.length - 1]!.name as Parameters<Task['warnOnce']>[0];
    expect([t.warnOnce(last, 1), t.warnOnce(last, 1)]).toEqual([true, false]);
    expect(a.ctl(C_NFINDINGS)).toBe(1);
    expect(warnCode(last)).toBe(WARNINGS.length);
  });
});

describe('refcount_warn', () => {
  it('with the findings table full, loses a refcount warning once, not once per later misuse', () => {
    const [a, t, u] = tasks(2);
    t.warn('FENCE_CB_NULL', 1);
    t.warn('FENCE_CB_NULL', 2);
    refcount_warn(t, 'KREF_PUT_UNDERFLOW', 7);
    refcount_warn(u, 'KREF_PUT_UNDERFLOW', 8);
    refcount_warn(t, 'KREF_PUT_UNDERFLOW', 7);
    expect(a.ctl(C_FINDINGS_LOST)).toBe(1);
  });
});
