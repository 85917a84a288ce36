// phys_move_begin moves only into a page the buffer owns: TTM hands the move a resource it just
// allocated, so a move into a freed (quarantined) page, one already moving, the nirvana page or a
// page outside the table is a use-after-free — PAGE_BAD_MOVE, and the page is left as it was (a
// freed page is never brought back as moving). phys_move_done only completes a moving page.
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { C_NFINDINGS, EXEC_INLINE, G_CODE, G_OBJ, PGS_MOVING, PGS_NIRVANA, PGS_OWNED, PGS_QUARANTINED, PG_STATE, WAIT_SLEEP } from '../../../src/shm/layout.js';
import { kernelBoot } from '../../../src/kernel/boot.js';
import { Task } from '../../../src/kernel/task.js';
import { WARNINGS } from '../../../src/kernel/warn.js';
import { phys_alloc, phys_free, phys_move_begin, phys_move_done } from '../../../src/kernel/index.js';

function task(): Task {
  const a = Arena.create({ pages: 8 });
  a.resetTrial({ actors: 1, mode: EXEC_INLINE, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
  const t = new Task(a, 0, 'gpu');
  kernelBoot(t);
  return t;
}

const state = (t: Task, p: number): number => t.i32[t.arena.page(p) + PG_STATE]!;

/** [check, object] of every finding recorded. */
function findings(t: Task): [string, number][] {
  return Array.from({ length: t.arena.ctl(C_NFINDINGS) }, (_, i) => {
    const g = t.arena.finding(i);
    return [WARNINGS[t.i32[g + G_CODE]! - 1]!.name, t.i32[g + G_OBJ]!];
  });
}

describe('phys_move_begin / phys_move_done', () => {
  it('moves into an owned page and completes the move', () => {
    const t = task();
    const p = phys_alloc(t, 0);
    phys_move_begin(t, p);
    expect(state(t, p)).toBe(PGS_MOVING);
    phys_move_done(t, p);
    expect([state(t, p), findings(t)]).toEqual([PGS_OWNED, []]);
  });

  it('reports PAGE_BAD_MOVE for a move into a freed page and leaves it quarantined', () => {
    const t = task();
    const p = phys_alloc(t, 0);
    phys_free(t, p);
    phys_move_begin(t, p);
    expect([state(t, p), findings(t)]).toEqual([PGS_QUARANTINED, [['PAGE_BAD_MOVE', p]]]);
  });

  it('reports PAGE_BAD_MOVE for a page already moving, the nirvana page and pages outside the table', () => {
    const t = task();
    const p = phys_alloc(t, 0);
    phys_move_begin(t, p);
    for (const q of [p, 0, 8, -1]) phys_move_begin(t, q);
    expect([state(t, p), state(t, 0), findings(t)]).toEqual([PGS_MOVING, PGS_NIRVANA, [['PAGE_BAD_MOVE', p], ['PAGE_BAD_MOVE', 0], ['PAGE_BAD_MOVE', 8], ['PAGE_BAD_MOVE', -1]]]);
  });

  it('leaves a page freed during its move quarantined when the move completes', () => {
    const t = task();
    const p = phys_alloc(t, 0);
    phys_move_begin(t, p);
    phys_free(t, p);
    phys_move_done(t, p);
    expect([state(t, p), findings(t)]).toEqual([PGS_QUARANTINED, []]);
  });
});
