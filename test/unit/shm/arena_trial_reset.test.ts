import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { C_NEXT_PRIV, cursorTables, EXEC_INLINE, FINDING_FILLING, G_ACTOR, G_CODE, PGS_OWNED, PG_STATE, SCHED_WORDS, WAIT_SLEEP } from '../../../src/shm/layout.js';
import { GFP_ATOMIC } from '../../../src/kernel/gfp.js';
import { dma_resv_init, kernelBoot, kzalloc_words, phys_alloc, phys_free, priv_store, Task } from '../../../src/kernel/index.js';
import { recordFinding } from '../../../src/kernel/task.js';

const SETTINGS = { actors: 1, mode: EXEC_INLINE, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 } as const;

/** A booted task on `a` after a trial reset. */
function trial(a: Arena): Task {
  a.resetTrial(SETTINGS);
  const t = new Task(a, 0, 'reset');
  kernelBoot(t);
  return t;
}

/** Indices of the non-zero words a trial reset is to zero (every per-trial table, past the
 *  control record and the scheduler words). */
function dirty(a: Arena): number[] {
  const out: number[] = [];
  for (let i = a.layout.sched + SCHED_WORDS; i < a.layout.resetEnd; i++) if (a.i32[i] !== 0) out.push(i);
  return out;
}

/** Take `n` rows of each partly reset table: pages (the second of each pair freed, quarantined),
 *  findings, private words and reservation objects. */
function takeRows(t: Task, n: number): void {
  for (let i = 0; i < n; i++) {
    const p = phys_alloc(t, 0);
    if (i % 2 === 1) phys_free(t, p);
    recordFinding(t.arena, 1 + i, 0, i, 7, [1, 2, 3, 4]);
    priv_store(t, kzalloc_words(t, 3, GFP_ATOMIC, takeRows) + 2, 9);
    dma_resv_init(t);
  }
}

describe('trial reset (Arena.resetTrial)', () => {
  // resetTrial zeroes the words between one table's end and the next table's taken prefix; a table
  // listed out of arena order makes it zero everything past the out-of-order table, whole (correct,
  // but the cost of the trial reset doubled for abba-no-ctx at 10a3ec5).
  it.each([{}, { pages: 16, findings: 12, privWords: 64, resvs: 12 }])('lists the cursor tables in arena order, disjoint (%o)', (g) => {
    const ends = cursorTables(Arena.create(g).layout).map((c) => [c.base, c.base + c.rows * c.stride]);
    for (let i = 1; i < ends.length; i++) expect(ends[i]![0], `table ${i}`).toBeGreaterThanOrEqual(ends[i - 1]![1]!);
  });

  it('starts each trial from zero though every trial takes more pages, findings and private words than the one before', () => {
    const a = Arena.create({ pages: 16, findings: 12, privWords: 64, resvs: 12 });
    const zeroAfterBoot = dirty((trial(a), a));
    for (const n of [1, 4, 9, 11]) {
      takeRows(trial(a), n);
      expect(dirty(a).length).toBeGreaterThan(zeroAfterBoot.length);
      trial(a);
      expect(dirty(a), `after a trial that took ${n} rows`).toEqual(zeroAfterBoot);
    }
  });

  it('zeroes every page, finding slot and private word when a trial took them all', () => {
    const a = Arena.create({ pages: 6, findings: 5, privWords: 15, resvs: 5 });
    const zeroAfterBoot = dirty((trial(a), a));
    const t = trial(a);
    takeRows(t, 5);
    expect(a.i32[a.page(5) + PG_STATE]).toBe(PGS_OWNED);
    expect([a.i32[a.finding(4) + G_CODE], a.ctl(C_NEXT_PRIV)]).toEqual([5, 15]);
    trial(a);
    expect(dirty(a)).toEqual(zeroAfterBoot);
  });

  it('zeroes a finding slot its claimer left being filled (a watchdog stop mid-record), and the published slots before it', () => {
    const a = Arena.create({ findings: 8 });
    const zeroAfterBoot = dirty((trial(a), a));
    trial(a);
    recordFinding(a, 3, 0, 1, 7);
    const at = a.finding(1);
    a.i32[at + G_CODE] = FINDING_FILLING;
    a.i32[at + G_ACTOR] = 2;
    trial(a);
    expect(dirty(a)).toEqual(zeroAfterBoot);
  });
});
