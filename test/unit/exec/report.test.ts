// Kernel-style report text (src/exec/report.ts): a pipelined move into a page the buffer does not
// own (PAGE_BAD_MOVE) gets the page report PAGE_BAD_FREE gets — a KASAN-style BUG line naming the
// check's kind and function, what went wrong, and who did it at which step to which page — not
// the generic WARNING line. Asserted on structure (code, function, actor, page), not prose.
import { describe, expect, it } from 'vitest';
import { G_CODE } from '../../../src/shm/layout.js';
import { phys_alloc, phys_free, phys_move_begin } from '../../../src/kernel/index.js';
import type { Task } from '../../../src/kernel/task.js';
import { warnSpec } from '../../../src/kernel/warn.js';
import { findingMessage } from '../../../src/exec/report.js';
import { bootTask as task } from '../kernel/module/support.js';

/** [code, report lines] of the first finding recorded on `t`'s arena. */
function firstReport(t: Task): [string, string[]] {
  const g = t.arena.finding(0);
  const spec = warnSpec(t.i32[g + G_CODE]!)!;
  return [spec.name, findingMessage(t.arena, g, spec, ['gpu'], 0, spec.fn).split('\n')];
}

describe('page finding reports', () => {
  it.each([
    ['PAGE_BAD_MOVE', 'phys_move_begin', 'move started', (t: Task, p: number) => { phys_free(t, p); phys_move_begin(t, p); }],
    ['PAGE_BAD_FREE', 'phys_free', 'freed again', (t: Task, p: number) => { phys_free(t, p); phys_free(t, p); }],
  ])('%s: KASAN-style BUG in %s naming who did it (%s) and to which page', (code, fn, _did, misuse) => {
    const t = task();
    const p = phys_alloc(t, 0);
    misuse(t, p);
    const [name, lines] = firstReport(t);
    expect(name).toBe(code);
    expect(lines[0]?.split(':')[0]).toBe('BUG');
    expect(lines[0]).toContain(fn);
    for (const field of ['gpu', `page ${p}`]) expect(lines.some((l) => l.includes(field))).toBe(true);
  });
});
