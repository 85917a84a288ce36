/**
 * ww_mutex oracle, kernel-semantics §7.3 W10 (lazy wound) and W11 (wait-die kills, a context
 * holding nothing never dies), for both lock classes under the inline and controlled executors.
 * §2.3 (kill check, wound reset), §2.4 (wound on queueing), §2.7 (trylock).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrialResult } from '../../../src/exec/result.js';
import { EDEADLK_RET, EINTR_RET } from '../../fixtures/kernel.js';
import { BACKOFF, wwBackoff } from '../../fixtures/ww/backoff.js';
import { VARIANTS, trials } from '../../fixtures/ww/matrix.js';
import {
  KILL, KILL_ROUNDS, KILL_WORDS, LAZY, LAZY_ROUNDS, LAZY_WORDS, wwKillRules, wwLazyWound,
} from '../../fixtures/ww/wound.js';
import { findingTitles, runTrials } from '../../support/both.js';

type Words = Readonly<Record<string, number>>;

/**
 * Every trial ended cleanly and recorded `want` in round `round`; `layout` names the word offsets
 * inside a round of `size` words.
 */
function expectRound(rs: readonly TrialResult[], layout: Words, size: number, round: number, want: Words): void {
  expect(findingTitles(rs)).toEqual([]);
  expect(rs.map((r) => r.end)).toEqual(rs.map(() => 'done'));
  const got = rs.map((r) => ({
    seed: r.seed, ...Object.fromEntries(Object.keys(want).map((k) => [k, r.user[size * round + layout[k]!]])),
  }));
  expect(got).toEqual(rs.map((r) => ({ seed: r.seed, ...want })));
}

/** Test names whose behaviour differs by class: [wound-wait, wait-die]. */
const W10_WOUND = [
  'wounds the younger holder when an older context holding a lock queues on it; the holder runs on and its uncontended lock returns 0',
  'never wounds the younger holder when an older context holding a lock queues on it; its uncontended lock returns 0',
] as const;
const W10_CONTENDED = [
  'makes the wounded holder\'s next contended lock return -EDEADLK, even against a context-less holder',
  'lets the unwounded holder wait for a context-less holder and get the lock (0)',
] as const;
const W11_YOUNGER = [
  'makes a younger context holding a lock wait (no wound) for a mutex an older context holds, then returns 0',
  'gives -EDEADLK at once to a younger context holding a lock that requests a mutex an older context holds',
] as const;
const W11_OLDER = [
  'makes an older context wait for a mutex a younger context holds, wounding the holder, then returns 0',
  'makes an older context wait for a mutex a younger context holds, then returns 0',
] as const;
const W11_EMPTY = [
  'never gives -EDEADLK to a context holding nothing: wounded, then released, it waits for the older holder',
  'never gives -EDEADLK to a context holding nothing: having released its lock, it waits for the older holder',
] as const;
const W11_BEHIND = [
  'queues a younger context holding a lock behind an older waiter for a context-less holder\'s mutex, then returns 0',
  'gives -EDEADLK at once to a younger context holding a lock when an older context already waits for the mutex',
] as const;

describe.each(VARIANTS)('W10 lazy wound: %s class, %s executor', (_c, _e, { waitDie, exec }) => {
  let rs: TrialResult[] = [];
  beforeAll(async () => {
    rs = await runTrials(exec, wwLazyWound, trials(exec, 100, 15), { params: { waitDie } });
  });
  const k = waitDie ? 1 : 0;
  const wounded = waitDie ? 0 : 1;

  it(W10_WOUND[k], () => {
    expectRound(rs, LAZY, LAZY_WORDS, 0, { WOUNDED_BEFORE: wounded, RET_FREE: 0, WOUNDED_AFTER: wounded, O_RET: 0 });
  });

  it(W10_CONTENDED[k], () => {
    expectRound(rs, LAZY, LAZY_WORDS, 0, { RET_CONTENDED: waitDie ? 0 : EDEADLK_RET });
  });

  it.each([['trylock', 1], ['lock', 0]] as const)(
    'clears a stale wound when a context holding nothing takes a mutex by %s, so its next contended lock waits (0)',
    (how, ret) => {
      const round = LAZY_ROUNDS.indexOf(`backoff-${how}`);
      expectRound(rs, LAZY, LAZY_WORDS, round, { WOUNDED_BEFORE: wounded, RET_FREE: ret, WOUNDED_AFTER: 0, RET_CONTENDED: 0, O_RET: 0 });
    },
  );
});

describe.each(VARIANTS)('W11 kill rules: %s class, %s executor', (_c, _e, { waitDie, exec }) => {
  let rs: TrialResult[] = [];
  beforeAll(async () => {
    rs = await runTrials(exec, wwKillRules, trials(exec, 100, 15), { params: { waitDie } });
  });
  const k = waitDie ? 1 : 0;
  const round = (name: (typeof KILL_ROUNDS)[number]): number => KILL_ROUNDS.indexOf(name);

  it(W11_YOUNGER[k], () => {
    expectRound(rs, KILL, KILL_WORDS, round('younger-requests'), { RET: waitDie ? EDEADLK_RET : 0, SAW_WAITER: waitDie ? 0 : 1 });
  });

  it(W11_OLDER[k], () => {
    expectRound(rs, KILL, KILL_WORDS, round('older-requests'), { RET: 0, HOLDER_WOUNDED: waitDie ? 0 : 1, SAW_WAITER: 0 });
  });

  it(W11_EMPTY[k], () => {
    expectRound(rs, KILL, KILL_WORDS, round('empty-requests'), { RET: 0, HOLDER_WOUNDED: waitDie ? 0 : 1, SAW_WAITER: 1 });
  });

  it(W11_BEHIND[k], () => {
    expectRound(rs, KILL, KILL_WORDS, round('behind-older-waiter'), { RET: waitDie ? EDEADLK_RET : 0, X_WAITERS: waitDie ? 1 : 2 });
  });
});

// __mutex_lock_common's wait loop checks a pending signal before the kill check: an
// interruptible request with a signal pending returns -EINTR even where it would die — except
// wait-die's kill on queueing behind an older waiter (__ww_mutex_add_waiter), which comes first.
describe.each(VARIANTS)('W11 kill rules with a signal pending: %s class, %s executor', (_c, _e, { waitDie, exec }) => {
  let rs: TrialResult[] = [];
  beforeAll(async () => {
    rs = await runTrials(exec, wwKillRules, trials(exec, 100, 15), { params: { waitDie, signalled: true } });
  });
  const round = (name: (typeof KILL_ROUNDS)[number]): number => KILL_ROUNDS.indexOf(name);

  it('returns -EINTR to a younger context holding a lock that requests a mutex an older context holds', () => {
    expectRound(rs, KILL, KILL_WORDS, round('younger-requests'), { RET: EINTR_RET, SAW_WAITER: 0 });
  });

  it('returns -EINTR to a context holding nothing', () => {
    expectRound(rs, KILL, KILL_WORDS, round('empty-requests'), { RET: EINTR_RET, HOLDER_WOUNDED: waitDie ? 0 : 1, SAW_WAITER: 0 });
  });

  it(waitDie ? 'still gives -EDEADLK on queueing behind an older waiter' : 'returns -EINTR behind an older waiter', () => {
    expectRound(rs, KILL, KILL_WORDS, round('behind-older-waiter'), { RET: waitDie ? EDEADLK_RET : EINTR_RET, X_WAITERS: 1 });
  });
});

describe.each(VARIANTS)('W11 backoff free-for-all: %s class, %s executor', (_c, _e, { waitDie, exec }) => {
  let rs: TrialResult[] = [];
  beforeAll(async () => {
    rs = await runTrials(exec, wwBackoff, trials(exec, 200, 20), { params: { waitDie, ctxActors: 3, nlocks: 3 } });
  });

  it('never returns -EDEADLK to a context holding nothing, nor anything but 0 to a context-less lock, on any schedule', () => {
    expect(findingTitles(rs)).toEqual([]);
    const got = rs.map((r) => [r.seed, r.end, r.user[BACKOFF.EMPTY_DIED], r.user[BACKOFF.BAD_RET], r.user[BACKOFF.OVERLAP]]);
    expect(got).toEqual(rs.map((r) => [r.seed, 'done', 0, 0, 0]));
  });

  it('completes every transaction with the backoff protocol, after -EDEADLK on some schedules', () => {
    expect(rs.map((r) => r.user[BACKOFF.COMPLETED])).toEqual(rs.map(() => 3));
    expect(rs.some((r) => r.user[BACKOFF.DEADLKS]! > 0)).toBe(true);
  });
});
