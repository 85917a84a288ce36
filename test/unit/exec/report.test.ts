// Kernel-style report text (src/exec/report.ts): a pipelined move into a page the buffer does not
// own (PAGE_BAD_MOVE) gets the page report PAGE_BAD_FREE gets — a KASAN-style BUG line naming the
// check's kind and function, what went wrong, and who did it at which step to which page — not
// the generic WARNING line. Asserted on structure (code, function, actor, page), not prose.
import { describe, expect, it } from 'vitest';
import { C_STEP, G_CODE } from '../../../src/shm/layout.js';
import {
  dma_fence_add_callback, dma_fence_cb_alloc, dma_fence_context_alloc, dma_fence_init, dma_fence_is_later, phys_alloc,
  phys_free, phys_move_begin, type Fence, type FenceCb,
} from '../../../src/kernel/index.js';
import type { Task } from '../../../src/kernel/task.js';
import { warnSpec } from '../../../src/kernel/warn.js';
import { findingMessage } from '../../../src/exec/report.js';
import { bootTask as task } from '../kernel/module/support.js';

/** [code, report lines] of the first finding recorded on `t`'s arena, actors named `names`
 *  (the reporter is the first). */
function firstReport(t: Task, names: readonly string[] = ['gpu']): [string, string[]] {
  const g = t.arena.finding(0);
  const spec = warnSpec(t.i32[g + G_CODE]!)!;
  return [spec.name, findingMessage(t.arena, g, spec, names, 0, spec.fn).split('\n')];
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

  /** The report's history line: the one after the reporter's line, naming the allocator and first freer. */
  const history = (lines: string[]): string | undefined => lines[3];

  it.each([
    ['PAGE_BAD_MOVE', (t: Task, p: number) => phys_move_begin(t, p)],
    ['PAGE_BAD_FREE', (t: Task, p: number) => phys_free(t, p)],
  ])('%s on a freed page names who allocated it and who freed it, at which step', (code, misuse) => {
    const t = task();
    const p = phys_alloc(t, 0);
    phys_free(t, p);
    const step = t.i32[t.ctl + C_STEP]!;
    misuse(t, p);
    const [name, lines] = firstReport(t);
    expect(name).toBe(code);
    expect(history(lines)?.match(/\bgpu\b/g)?.length).toBe(2);
    expect(history(lines)).toContain(`step ${step}`);
  });

  it('PAGE_BAD_MOVE on a page still allocated (already moving) names no free: there was none in its life', () => {
    const t = task();
    const p = phys_alloc(t, 0);
    phys_free(t, p);
    let q = phys_alloc(t, 0);
    while (q !== p && q >= 0) q = phys_alloc(t, 0); // free pages first, then the quarantined one
    phys_move_begin(t, q);
    phys_move_begin(t, q);
    const [name, lines] = firstReport(t);
    expect([name, q, history(lines)]).toEqual(['PAGE_BAD_MOVE', p, undefined]);
  });
});

/** The operands a WARNING line names: its parenthesised tail after function and task, as `name id` pairs. */
function warningOperands(line: string): string[] {
  expect(line.split(':')[0]).toBe('WARNING');
  return line.slice(line.lastIndexOf('(') + 1, -1).split(', ').slice(2);
}

describe('WARNING operands', () => {
  const fences = (t: Task): [Fence, Fence] => {
    const ctx = dma_fence_context_alloc(t, 2);
    return [dma_fence_init(t, ctx, 1), dma_fence_init(t, ctx + 1, 1)];
  };

  it('names both fences of dma_fence_is_later across contexts as the kernel does: f1 and f2', () => {
    const t = task();
    const [f, g] = fences(t);
    dma_fence_is_later(t, f, g);
    const [name, lines] = firstReport(t);
    expect([name, warningOperands(lines[0]!)]).toEqual(['FENCE_LATER_CONTEXT', [`f1 ${f}`, `f2 ${g}`]]);
  });

  it.each([
    ['FENCE_CB_NULL', (t: Task, f: Fence, cb: FenceCb) => dma_fence_add_callback(t, f, cb, 7)],
    ['FENCE_CB_PENDING', (t: Task, f: Fence, cb: FenceCb) => {
      t.callbacks = [() => {}];
      for (let i = 0; i < 2; i++) dma_fence_add_callback(t, f, cb, 0);
    }],
  ])('names the fence and the callback node of %s: fence and cb', (code, misuse) => {
    const t = task();
    const [f] = fences(t);
    dma_fence_cb_alloc(t);
    const cb = dma_fence_cb_alloc(t);
    misuse(t, f, cb);
    const [name, lines] = firstReport(t);
    expect([name, warningOperands(lines[0]!)]).toEqual([code, [`fence ${f}`, `cb ${cb}`]]);
  });

  it('names the node of a callback added to a NULL fence: cb', () => {
    const t = task();
    const cb = dma_fence_cb_alloc(t);
    dma_fence_add_callback(t, -1 as Fence, cb, 0);
    const [name, lines] = firstReport(t);
    expect([name, warningOperands(lines[0]!)]).toEqual(['FENCE_CB_NO_FENCE', [`cb ${cb}`]]);
  });
});

describe('mapping finding reports', () => {
  it.each([
    ['REVOKE_LIVE_MAPPINGS', 'WARNING'],
    ['REMOVE_WITH_MAPPINGS', 'BUG'],
  ] as const)('%s reports as a %s naming the mapper', (code, head) => {
    const t = task();
    t.warn(code, 3, 0, [1, 7, 1, 2]);
    const [name, lines] = firstReport(t);
    expect(name).toBe(code);
    expect(lines[0]?.split(':')[0]).toBe(head);
    expect(lines.some((l) => l.includes('gpu'))).toBe(true);
  });
});

describe('CPU access finding reports', () => {
  /** Actors: the user touching (0), the user that faulted the page in (1), the exporter (2). */
  const NAMES = ['toucher', 'faulter', 'vfio'];

  it.each(['CPU_USE_AFTER_REVOKE', 'CPU_USE_AFTER_FREE'] as const)(
    '%s reports as a KASAN-style BUG naming the page, who faulted it in and who let it go, with steps',
    (code) => {
      const t = task();
      t.warn(code, 3, 0, [2, 7, 3, 11]); // cpu_mapping.ts judgeAccess: [faulter + 1, step, revoker/freer + 1, step]
      const [name, lines] = firstReport(t, NAMES);
      expect(name).toBe(code);
      expect(lines[0]?.split(':')[0]).toBe('BUG');
      expect(lines[0]).toContain('cpu_access');
      const [access, faulted, other] = lines.slice(2);
      for (const field of ['toucher', 'page 3']) expect(access).toContain(field);
      expect(faulted?.match(/\b(faulter|step 7)\b/g)).toEqual(['faulter', 'step 7']);
      expect(other?.match(/\b(vfio|step 11)\b/g)).toEqual(['vfio', 'step 11']);
    },
  );
});
