// recordFinding keeps each finding once: a record repeating a kept one (same check, site, task,
// aux words, and object — any object for a per-page check) only counts as a repeat; distinct
// findings take the next slot; with the table full a distinct record is counted as lost, and
// repeats of kept findings still count where they belong.
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { C_FINDINGS_LOST, C_NFINDINGS, EXEC_INLINE, G_CODE, G_OBJ, G_REPEATS, WAIT_SLEEP } from '../../../src/shm/layout.js';
import { recordFinding } from '../../../src/kernel/task.js';
import { warnCode, type WarnName } from '../../../src/kernel/warn.js';

function arena(): Arena {
  const a = Arena.create({ findings: 4 });
  a.resetTrial({ actors: 2, mode: EXEC_INLINE, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
  return a;
}

/** [warning, object, repeats] of every slot in use. */
function slots(a: Arena): [string, number, number][] {
  return Array.from({ length: a.ctl(C_NFINDINGS) }, (_, i) => {
    const g = a.finding(i);
    const code = a.i32[g + G_CODE]!;
    const name = (['PAGE_BAD_FREE', 'DMA_USE_AFTER_FREE', 'FENCE_CB_NULL'] as const).find((n) => warnCode(n) === code) ?? String(code);
    return [name, a.i32[g + G_OBJ]!, a.i32[g + G_REPEATS]!];
  });
}

const rec = (a: Arena, name: WarnName, actor: number, obj: number, site = 0, aux?: number[]) => recordFinding(a, warnCode(name), actor, obj, site, aux);

describe('recordFinding', () => {
  it('counts an identical record as a repeat, and a record on another object, site or task as its own finding', () => {
    const a = arena();
    for (let i = 0; i < 5; i++) rec(a, 'PAGE_BAD_FREE', 0, 3);
    rec(a, 'PAGE_BAD_FREE', 0, 4);
    rec(a, 'PAGE_BAD_FREE', 1, 3);
    rec(a, 'PAGE_BAD_FREE', 0, 3, 12345);
    expect(slots(a)).toEqual([['PAGE_BAD_FREE', 3, 4], ['PAGE_BAD_FREE', 4, 0], ['PAGE_BAD_FREE', 3, 0], ['PAGE_BAD_FREE', 3, 0]]);
    expect(a.ctl(C_FINDINGS_LOST)).toBe(0);
  });

  it('merges a per-page check across objects with the same aux words, and keeps other aux words apart', () => {
    const a = arena();
    for (let page = 10; page < 50; page++) rec(a, 'DMA_USE_AFTER_FREE', 1, page, 0, [1, 5, 2, 9]);
    rec(a, 'DMA_USE_AFTER_FREE', 1, 60, 0, [1, 7, 2, 9]);
    rec(a, 'PAGE_BAD_FREE', 1, 10, 0, [1, 5, 2, 9]);
    rec(a, 'PAGE_BAD_FREE', 1, 11, 0, [1, 5, 2, 9]);
    expect(slots(a)).toEqual([['DMA_USE_AFTER_FREE', 10, 39], ['DMA_USE_AFTER_FREE', 60, 0], ['PAGE_BAD_FREE', 10, 0], ['PAGE_BAD_FREE', 11, 0]]);
  });

  it('counts distinct records past a full table as lost, and still counts repeats of kept findings', () => {
    const a = arena();
    for (let obj = 0; obj < 6; obj++) rec(a, 'FENCE_CB_NULL', 0, obj);
    rec(a, 'FENCE_CB_NULL', 0, 1);
    rec(a, 'FENCE_CB_NULL', 0, 5);
    expect(slots(a)).toEqual([['FENCE_CB_NULL', 0, 0], ['FENCE_CB_NULL', 1, 1], ['FENCE_CB_NULL', 2, 0], ['FENCE_CB_NULL', 3, 0]]);
    expect(a.ctl(C_FINDINGS_LOST)).toBe(3);
  });

  it('saturates the repeat and lost-record counters at INT32_MAX instead of wrapping them negative', () => {
    const a = arena();
    rec(a, 'PAGE_BAD_FREE', 0, 3);
    a.i32[a.finding(0) + G_REPEATS] = INT32_MAX - 1;
    for (let i = 0; i < 3; i++) rec(a, 'PAGE_BAD_FREE', 0, 3);
    for (let obj = 0; obj < 3; obj++) rec(a, 'FENCE_CB_NULL', 0, obj);
    a.setCtl(C_FINDINGS_LOST, INT32_MAX - 1);
    for (let i = 0; i < 3; i++) rec(a, 'FENCE_CB_NULL', 0, 10 + i);
    expect([slots(a)[0], a.ctl(C_FINDINGS_LOST)]).toEqual([['PAGE_BAD_FREE', 3, INT32_MAX], INT32_MAX]);
  });
});

const INT32_MAX = 0x7fffffff;
