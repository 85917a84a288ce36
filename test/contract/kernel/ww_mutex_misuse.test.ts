/**
 * ww_mutex oracle, kernel-semantics §7.3 W9: the lib/locking-selftest.c ww grid of §2.9 — each
 * row raises exactly the debug warnings listed (FAILURE rows) or none (SUCCESS rows), for both
 * lock classes under the inline and controlled executors.
 *
 * The spinlock rows (misuse_spin.ts) take a lockdep-tracked spinlock (spinlock_lockdep.ts):
 * spin_nest_unlocked is lockdep's "nested lock was not taken"; spin+block and spin+context take o
 * under the spinlock, which is the lock call's might_sleep under a spinlock (SLEEP_IN_ATOMIC), then
 * lockdep's check_wait_context, "BUG: Invalid wait context" (INVALID_WAIT_CONTEXT, since 5.7): a
 * sleeping lock inside a spinning one — the selftest's FAILURE. __lock_acquire stops there, so no
 * dependency spinlock → o is recorded and there is no circular report for the inversion. spin+try
 * is clean (a trylock never sleeps, and lockdep checks no wait context for it) and takes o.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, TrialResult } from '../../../src/exec/result.js';
import { EALREADY_RET, EDEADLK_RET } from '../../fixtures/kernel.js';
import { VARIANTS, trials } from '../../fixtures/ww/matrix.js';
import { COUNT_BASE, MISUSE_ROWS, WORDS_PER_ROW, wwMisuse } from '../../fixtures/ww/misuse.js';
import {
  EDEADLK_ROWS, ROW, WORDS_PER_ROW as ED_WORDS, wwMisuseEdeadlk,
} from '../../fixtures/ww/misuse_edeadlk.js';
import { runTrials } from '../../support/both.js';

/** The condition in the title of a warning that shares its function with others (warn.ts CONDITIONS). */
const COND: Readonly<Record<string, string>> = {
  WW_WRONG_LOCK_AFTER_EDEADLK: 'ww_ctx->contending_lock != ww', WW_HOLDING_AFTER_EDEADLK: 'ww_ctx->acquired > 0',
  WW_EDEADLK_AGAIN: 'ctx->contending_lock', WW_CLASS_MISMATCH: 'ww_ctx->ww_class != ww->ww_class',
  WW_LOCK_AFTER_DONE: 'ww_ctx->done_acquire', WW_CTX_STILL_SET: 'ww->ctx',
  LOCK_RECURSIVE: 'possible recursive locking detected', WW_FINI_HELD: 'ctx->acquired', WW_FINI_TWICE: 'bad unlock balance detected',
  SLEEP_IN_ATOMIC: 'sleeping function called from invalid context', LOCK_NEST_NOT_HELD: 'Nested lock was not taken',
  INVALID_WAIT_CONTEXT: 'Invalid wait context',
};

/** Where each warning fires (its finding title is `assertion in <fn>`, + ` (<condition>)` when COND has one). */
const FN: Readonly<Record<string, string>> = {
  WW_SLOW_NO_EDEADLK: 'ww_mutex_lock_slow', WW_TWO_CONTEXTS: 'ww_acquire_init', WW_DONE_TWICE: 'ww_acquire_done',
  WW_FINI_TWICE: 'ww_acquire_fini', WW_FINI_HELD: 'ww_acquire_fini', UNLOCK_NOT_HELD: 'mutex_unlock',
  WW_UNLOCK_UNBALANCED: 'ww_mutex_unlock', LOCK_NEST_NOT_HELD: 'spin_lock_nest_lock',
};

/** ww_mutex_lock_acquired's checks: made only when the follow-up acquires its mutex. */
const WRONG = 'WW_WRONG_LOCK_AFTER_EDEADLK';
/** __ww_mutex_kill's check: a follow-up that dies again while still contending. */
const AGAIN = 'WW_EDEADLK_AGAIN';

/** §2.9 single-task rows → the warnings they must raise ([] = SUCCESS); `CODE@fn` fires in `fn`
 *  instead of FN's. A lock held when ww_acquire_init makes the context is recursive locking
 *  there (its first_lock_dep_map is of the lock's class, 6.13+), and a later lock through the
 *  context nests under that map; lockdep's circular report of the held lock ordered before the
 *  acquire class is FIRST_TRIAL_ONLY (the kernel's selftest resets lockdep between its tests). */
const SINGLE: Readonly<Record<string, readonly string[]>> = {
  ww_test_normal: [], ww_test_unneeded_slow: ['WW_SLOW_NO_EDEADLK'],
  ww_test_two_contexts: ['WW_TWO_CONTEXTS'], ww_test_diff_class: ['WW_CLASS_MISMATCH'],
  context_done_twice: ['WW_DONE_TWICE'], context_unlock_twice: ['WW_FINI_TWICE'],
  context_fini_early: ['WW_FINI_HELD'], context_lock_after_done: ['WW_LOCK_AFTER_DONE'],
  object_unlock_twice: ['UNLOCK_NOT_HELD'], object_lock_unbalanced: ['WW_UNLOCK_UNBALANCED'],
  object_lock_stale_context: ['WW_CTX_STILL_SET'],
  ww_test_context_block: ['LOCK_RECURSIVE'], ww_test_context_try: [], ww_test_context_context: [],
  ww_test_try_block: ['LOCK_RECURSIVE'], ww_test_try_try: [],
  ww_test_try_context: ['LOCKDEP_CIRCULAR@ww_acquire_init', 'LOCK_RECURSIVE@ww_acquire_init'],
  ww_test_block_block: ['LOCK_RECURSIVE'], ww_test_block_try: [], ww_test_block_context: ['LOCK_RECURSIVE@ww_acquire_init'],
  ww_test_spin_nest_unlocked: ['LOCK_NEST_NOT_HELD'],
  ww_test_spin_block: ['SLEEP_IN_ATOMIC', 'INVALID_WAIT_CONTEXT'], ww_test_spin_try: [],
  ww_test_spin_context: ['SLEEP_IN_ATOMIC', 'INVALID_WAIT_CONTEXT'],
};

/** Warnings raised in the executor's first trial only: the dependency they report is then known. */
const FIRST_TRIAL_ONLY: ReadonlySet<string> = new Set(['LOCKDEP_CIRCULAR@ww_acquire_init']);

/**
 * §2.9 two-task rows → warnings, and the younger side's follow-up result (R2). acquire_more fails
 * both contended-lock checks (another lock, others held); the first, WRONG, silences the second as
 * the kernel's debug_locks_off does (one report per acquisition: kernel/lockdep.ts).
 */
const DOUBLE: Readonly<Record<string, { codes: readonly string[]; r2: number }>> = {
  ww_test_fail_acquire: { codes: [], r2: 0 },
  edeadlk_normal: { codes: [], r2: 0 },
  edeadlk_normal_slow: { codes: [], r2: 1 },
  edeadlk_no_unlock: { codes: [AGAIN], r2: EDEADLK_RET },
  edeadlk_no_unlock_slow: { codes: [AGAIN], r2: 0 },
  edeadlk_acquire_more: { codes: [WRONG], r2: 0 },
  edeadlk_acquire_more_slow: { codes: [WRONG], r2: 1 },
  edeadlk_acquire_more_edeadlk: { codes: [AGAIN], r2: EDEADLK_RET },
  edeadlk_acquire_more_edeadlk_slow: { codes: [AGAIN], r2: 0 },
  edeadlk_acquire_wrong: { codes: [WRONG], r2: 0 },
  edeadlk_acquire_wrong_slow: { codes: [WRONG], r2: 1 },
};

function behaviour(codes: readonly string[]): string {
  return codes.length === 0 ? 'raises no warning' : `warns ${codes.join(' + ')}`;
}

/** What the younger side's follow-up call of an EDEADLK row must do. */
function followUp(name: string): string {
  const r2 = DOUBLE[name]!.r2;
  if (name.endsWith('_slow')) return r2 === 1 ? 'lock_slow acquires the mutex' : 'lock_slow dies again without acquiring';
  return r2 === 0 ? 'the next lock returns 0' : 'the next lock returns -EDEADLK again';
}

/** The findings raised between the finding counts stored before and after a row. */
function rowFindings(r: TrialResult, from: number, to: number): Finding[] {
  return r.findings.slice(from, to);
}

function sameWarnings(fs: readonly Finding[], codes: readonly string[]): void {
  const expected = codes.map((spec) => {
    const [c, at] = spec.split('@') as [string, string | undefined];
    const kind = c === 'LOCKDEP_CIRCULAR' ? 'circular-locking' : 'assertion';
    return [c, kind, `${kind} in ${at ?? FN[c] ?? 'ww_mutex_lock'}${COND[c] === undefined ? '' : ` (${COND[c]})`}`];
  });
  expect(fs.map((f) => [f.code, f.kind, f.title])).toEqual(expected);
}

it('W9 covers every §2.9 row the model can express, in the fixtures\' order', () => {
  expect(MISUSE_ROWS.map(([n]) => n).sort()).toEqual(Object.keys(SINGLE).sort());
  expect([...EDEADLK_ROWS].sort()).toEqual(Object.keys(DOUBLE).sort());
});

describe.each(VARIANTS)('W9 single-task rows: %s class, %s executor', (_c, _e, { waitDie, exec }) => {
  let rs: TrialResult[] = [];
  beforeAll(async () => {
    rs = await runTrials(exec, wwMisuse, trials(exec, 3, 2), { params: { waitDie } });
  });

  it.each(MISUSE_ROWS.map(([name], i) => [name, behaviour(SINGLE[name]!), i] as const))('%s %s', (name, _b, i) => {
    for (const [k, r] of rs.entries()) {
      expect(r.end).toBe('done');
      const codes = SINGLE[name]!.filter((c) => k === 0 || !FIRST_TRIAL_ONLY.has(c));
      sameWarnings(rowFindings(r, i === 0 ? 0 : r.user[COUNT_BASE + i - 1]!, r.user[COUNT_BASE + i]!), codes);
    }
  });

  it('keeps lock.ctx and ctx.acquired untouched by plain mutex calls; trylocks of free mutexes succeed (ww_test_normal, grid)', () => {
    const word = (r: TrialResult, row: string, k: number): number =>
      r.user[WORDS_PER_ROW * MISUSE_ROWS.findIndex(([n]) => n === row) + k]!;
    for (const r of rs) {
      expect([0, 1, 2].map((k) => word(r, 'ww_test_normal', k))).toEqual([0, 1, 0]);
      expect(['ww_test_context_try', 'ww_test_try_try', 'ww_test_block_try'].map((row) => word(r, row, 1))).toEqual([1, 1, 1]);
    }
  });

  it('takes o under the spinlock in every spin+X row (the selftest WARN_ON(!ret)s the trylock)', () => {
    const word = (r: TrialResult, row: string): number => r.user[WORDS_PER_ROW * MISUSE_ROWS.findIndex(([n]) => n === row) + 1]!;
    for (const r of rs) {
      expect(['ww_test_spin_block', 'ww_test_spin_try', 'ww_test_spin_context'].map((row) => word(r, row))).toEqual([1, 1, 1]);
    }
  });
});

describe.each(VARIANTS)('W9 two-task rows: %s class, %s executor', (_c, _e, { waitDie, exec }) => {
  let rs: TrialResult[] = [];
  beforeAll(async () => {
    rs = await runTrials(exec, wwMisuseEdeadlk, trials(exec, 20, 5), { params: { waitDie } });
  });
  const count = (r: TrialResult, i: number): number => (i < 0 ? 0 : r.user[ED_WORDS * i + ROW.COUNT]! - 1);

  it.each(EDEADLK_ROWS.map((name, i) => [name, behaviour(DOUBLE[name]!.codes), i] as const))('%s %s', (name, _b, i) => {
    for (const r of rs) {
      expect(r.end).toBe('done');
      const fs = rowFindings(r, count(r, i - 1), count(r, i));
      sameWarnings(fs, DOUBLE[name]!.codes);
      expect(fs.every((f) => f.actor === 1)).toBe(true);
    }
  });

  it.each(EDEADLK_ROWS.slice(1).map((name) => [name, followUp(name), EDEADLK_ROWS.indexOf(name)] as const))(
    '%s: the younger context gets -EDEADLK on the older one\'s mutex; then %s',
    (name, _f, i) => {
      const w = ED_WORDS * i;
      const got = rs.map((r) => [r.user[w + ROW.R1], r.user[w + ROW.R2], r.user[w + ROW.OTHER]]);
      expect(got).toEqual(rs.map(() => [EDEADLK_RET, DOUBLE[name]!.r2, 0]));
    },
  );

  const younger = waitDie ? 'gets -EDEADLK' : 'waits for it';
  it(`ww_test_fail_acquire: relock → -EALREADY; WWT fails while held, succeeds once free; a younger ctx with a lock ${younger}`, () => {
    const got = rs.map((r) => [ROW.OTHER, ROW.TRY_HELD, ROW.R1, ROW.TRY_FREE].map((k) => r.user[k]));
    expect(got).toEqual(rs.map(() => [EALREADY_RET, 0, waitDie ? EDEADLK_RET : 0, 1]));
  });
});
