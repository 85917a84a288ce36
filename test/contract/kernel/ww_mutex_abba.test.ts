/**
 * ww_mutex oracle, kernel-semantics §7.3 W3/W4 (test_abba) and W5 (test_cycle), for both lock
 * classes under the inline and controlled executors. The handshakes force the crossing, so the
 * properties hold on every trial, not just on some schedule.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrialResult } from '../../../src/exec/result.js';
import { EDEADLK_RET } from '../../fixtures/kernel.js';
import {
  ABBA, ABBA_ROUNDS, ABBA_WORDS, CYCLE, CYCLE_SIZES, CYCLE_WORDS, wwAbba, wwCycle,
} from '../../fixtures/ww/abba.js';
import { VARIANTS, trials } from '../../fixtures/ww/matrix.js';
import { findingTitles, runTrials } from '../../support/both.js';

interface AbbaOutcome { seed: number; younger: number; err: number[]; died: number[]; first: number[] }

/** Round `round` of trial `r`: which side is younger (larger stamp), results, who died. */
function abbaOutcome(r: TrialResult, round: number): AbbaOutcome {
  const w = ABBA_WORDS * round;
  const pair = (f: number): number[] => [r.user[w + f]!, r.user[w + f + 1]!];
  const [sa, sb] = pair(ABBA.STAMP);
  return { seed: r.seed, younger: sa! > sb! ? 0 : 1, err: pair(ABBA.ERR), died: pair(ABBA.DIED), first: pair(ABBA.FIRST) };
}

/** What test_abba requires of one round, given who is younger: only the younger side dies. */
function abbaWant(o: AbbaOutcome, trylock: boolean, resolve: boolean): AbbaOutcome {
  const pick = (young: number, old: number): number[] => (o.younger === 0 ? [young, old] : [old, young]);
  const first = (trylock ? 1 : 0) + 10;
  return { seed: o.seed, younger: o.younger, err: resolve ? [0, 0] : pick(EDEADLK_RET, 0), died: pick(1, 0), first: [first, first] };
}

const ROUNDS = ABBA_ROUNDS.map((v, i) => [v.trylock ? 'trylock' : 'lock', i, v] as const);

describe.each(VARIANTS)('W3/W4 test_abba: %s class, %s executor', (_c, _e, { waitDie, exec }) => {
  let rs: TrialResult[] = [];
  beforeAll(async () => {
    rs = await runTrials(exec, wwAbba, trials(exec, 100, 20), { params: { waitDie } });
  });

  function check(round: number, trylock: boolean, resolve: boolean): void {
    expect(findingTitles(rs)).toEqual([]);
    expect(rs.map((r) => r.end)).toEqual(rs.map(() => 'done'));
    const got = rs.map((r) => abbaOutcome(r, round));
    expect(got).toEqual(got.map((o) => abbaWant(o, trylock, resolve)));
    expect(new Set(got.map((o) => o.younger))).toEqual(new Set([0, 1]));
  }

  it.each(ROUNDS.filter(([, , v]) => !v.resolve))(
    'W3: gives -EDEADLK to exactly one side of a crossed ABBA, the younger context (first acquire by %s)',
    (_n, round, v) => check(round, v.trylock, false),
  );

  it.each(ROUNDS.filter(([, , v]) => v.resolve))(
    'W4: resolves a crossed ABBA: the younger side backs off with lock_slow and both end with 0 (first acquire by %s)',
    (_n, round, v) => check(round, v.trylock, true),
  );
});

interface CycleOutcome { seed: number; err: number[]; erra: number[]; died: number }

/** Ring round `round` of trial `r`: results of the request and of the relock, and how many died. */
function cycleOutcome(r: TrialResult, round: number): CycleOutcome {
  const n = CYCLE_SIZES[round]!;
  const w = CYCLE_WORDS * round;
  const slice = (f: number): number[] => r.user.slice(w + f, w + f + n);
  return { seed: r.seed, err: slice(CYCLE.ERR), erra: slice(CYCLE.ERRA), died: slice(CYCLE.DIED).reduce((a, b) => a + b, 0) };
}

const RINGS = CYCLE_SIZES.map((n, round) => [n, round] as const);

describe.each(VARIANTS)('W5 test_cycle: %s class, %s executor', (_c, _e, { waitDie, exec }) => {
  let rs: TrialResult[] = [];
  beforeAll(async () => {
    rs = await runTrials(exec, wwCycle, trials(exec, 100, 15), { params: { waitDie, preempt: false } });
  });

  it.each(RINGS)('resolves a ring of %i contexts: at least one backs off and every actor ends with 0', (n, round) => {
    expect(findingTitles(rs)).toEqual([]);
    expect(rs.map((r) => r.end)).toEqual(rs.map(() => 'done'));
    const got = rs.map((r) => cycleOutcome(r, round));
    const zeros = Array<number>(n).fill(0);
    expect(got.map((o) => ({ ...o, died: o.died > 0 }))).toEqual(got.map((o) => ({ seed: o.seed, err: zeros, erra: zeros, died: true })));
  });
});

/**
 * test_cycle retries its relock of a[k] only once. Under wait-die that relock (holding a[k+1])
 * dies when the older neighbour that took a[k] meanwhile still holds it — possible whenever that
 * neighbour is preempted between acquiring and unlocking (§2.3 kill check). Under wound-wait
 * nothing can wound the relocking context, so it never fails.
 */
describe('W5 test_cycle with every actor preempted once in its critical section', () => {
  it('keeps every request and relock at 0 under wound-wait (inline, rings of 2..4)', async () => {
    const rs = await runTrials('inline', wwCycle, 300, { params: { waitDie: false, preempt: true } });
    expect(findingTitles(rs)).toEqual([]);
    const bad = rs.flatMap((r) => RINGS.map(([, round]) => cycleOutcome(r, round)))
      .filter((o) => [...o.err, ...o.erra].some((e) => e !== 0));
    expect(bad).toEqual([]);
  });

  it('lets the single relock die under wait-die, and the controlled executor reproduces it on the same seed', async () => {
    const params = { waitDie: true, preempt: true };
    const rs = await runTrials('inline', wwCycle, 300, { params });
    expect(findingTitles(rs)).toEqual([]);
    const got = rs.flatMap((r) => RINGS.map(([, round]) => cycleOutcome(r, round)));
    expect(got.filter((o) => o.err.some((e) => e !== 0) || o.erra.some((e) => e !== 0 && e !== EDEADLK_RET))).toEqual([]);
    const racy = rs.find((r) => RINGS.some(([, round]) => cycleOutcome(r, round).erra.includes(EDEADLK_RET)));
    expect(racy).toBeDefined();
    const [again] = await runTrials('controlled', wwCycle, 1, { params }, racy!.seed);
    expect(again!.user).toEqual(racy!.user);
  });
});
