import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { C_NFINDINGS, EXEC_INLINE, FINDING_WORDS, G_CODE, G_REPEATS, PGS_FREE, PGS_OWNED, PGS_QUARANTINED, PG_GEN, PG_STATE, WAIT_SLEEP } from '../../../src/shm/layout.js';
import { kernelBoot } from '../../../src/kernel/boot.js';
import { Task } from '../../../src/kernel/task.js';
import { device_add, dma_map_sg, phys_alloc, phys_replace } from '../../../src/kernel/index.js';
import { warnCode } from '../../../src/kernel/warn.js';
import { EV_PAGE_REUSE } from '../../../src/trace/ops.js';
import { readEvents } from '../../../src/trace/ring.js';

/** A task over an arena of `pages` pages (page 0 the nirvana page) with `used` of them allocated. */
function arena(pages: number, used: number): { t: Task; got: number[] } {
  const a = Arena.create({ pages });
  a.resetTrial({ actors: 1, mode: EXEC_INLINE, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
  const t = new Task(a, 0, 'vfio');
  kernelBoot(t);
  return { t, got: Array.from({ length: used }, () => phys_alloc(t, 0)) };
}

const state = (t: Task, p: number): [number, number] => [t.i32[t.arena.page(p) + PG_STATE]!, t.i32[t.arena.page(p) + PG_GEN]!];

describe('phys_replace (a device reset reusing its memory)', () => {
  it('moves the contents to a free page and quarantines the old one under a new generation', () => {
    const { t, got } = arena(5, 3);
    expect(phys_replace(t, got[0]!, 0)).toBe(4);
    expect(state(t, got[0]!)).toEqual([PGS_QUARANTINED, 1]);
    expect(state(t, 4)).toEqual([PGS_OWNED, 0]);
    expect(t.arena.ctl(C_NFINDINGS)).toBe(0);
  });

  it('with no other page left keeps the page, owned, under a new generation (never -ENOMEM)', () => {
    const { t, got } = arena(4, 3);
    expect(got).toEqual([1, 2, 3]);
    expect(phys_replace(t, 2, 0)).toBe(2);
    expect(state(t, 2)).toEqual([PGS_OWNED, 1]);
    expect(t.arena.ctl(C_NFINDINGS)).toBe(0);
  });

  it('WARNs PAGE_BAD_FREE for a page that is not allocated and changes nothing: no page taken, no reuse traced', () => {
    const { t, got } = arena(5, 2);
    const p = got[1]!;
    expect(phys_replace(t, p, 0)).toBe(3);
    expect(phys_replace(t, p, 0)).toBe(p);
    expect(state(t, p)).toEqual([PGS_QUARANTINED, 1]);
    expect(state(t, 4)).toEqual([PGS_FREE, 0]);
    expect(t.arena.ctl(C_NFINDINGS)).toBe(1);
    expect(readEvents(t.arena, 1).map((e) => [e.op, e.obj, e.aux])).toEqual([[EV_PAGE_REUSE, p, 3]]);
  });

  it('REUSE_BEFORE_UNMAP once per live mapping of the page: two entries of one mapping on it are one record, no repeats', () => {
    const { t, got } = arena(5, 1);
    const p = got[0]!;
    expect(dma_map_sg(t, device_add(t), -1, [p, p])).toBeGreaterThan(0);
    phys_replace(t, p, 0);
    const a = t.arena;
    const records = Array.from({ length: a.ctl(C_NFINDINGS) }, (_, n) => a.i32.subarray(a.finding(n), a.finding(n) + FINDING_WORDS));
    expect(records.map((g) => [g[G_CODE], g[G_REPEATS]])).toEqual([[warnCode('REUSE_BEFORE_UNMAP'), 0]]);
  });
});
