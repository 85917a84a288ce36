// dma_fence_chain's multi-actor oracles (kernel-semantics §3.10, §7.2 C6, C9..C11), under the
// inline and the controlled executor: C6 find_race — two actors find random seqnos from the
// tail and signal random fences, RACE_ROUNDS rounds each, over SEEDS trials per executor (100
// inline, 30 controlled): no find fails; C9..C11 — a waiter sleeps on the tail (the signaller
// starts once it is asleep) and wakes only after the last of the 64 fences signalled, in
// order, in reverse, or shuffled by the signaller's seeded stream.
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import { CHAIN, CHAIN_LEN, ORDERS, chainFindRace, chainWait } from '../../fixtures/fence/chain.js';
import { WALK, chainWalkRace } from '../../fixtures/fence/chain_walk_race.js';
import { CLEAN, at, outcome, pick, run } from '../../fixtures/fence/oracle.js';
import { StressExecutor } from '../../../src/exec/stress.js';
import { withExecutor } from '../../support/executor.js';

/** Rounds of the two-walker race (more than 100 as before; ~1 s idle, ~10 s at a load of 12). */
const ROUNDS = 300;

describe.each(EXECUTORS)('dma_fence_chain oracles (%s)', (kind) => {
  it('C6 find_race: racing finds and signals never fail', async () => {
    for (const r of await run(kind, chainFindRace)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(r.user[CHAIN.ERRORS], at(r)).toBe(0);
    }
  });

  it.each(ORDERS.map((o, i) => [o, i] as const))('C9..C11 wait_%s: the waiter on the tail wakes after the last signal', async (_, order) => {
    for (const r of await run(kind, chainWait, { order }, kind === 'inline' ? 20 : 5)) {
      expect(outcome(r), at(r)).toEqual(CLEAN);
      expect(pick(r, { ret: CHAIN.WAIT_RET, woke: CHAIN.WOKE_AT }), at(r)).toEqual({ ret: 1, woke: CHAIN_LEN + 1 });
    }
  });
});

describe('dma_fence_chain under the stress executor (threads really race)', () => {
  it('C6 find_race: finds walking (and collecting) while the other thread signals never fail; no lockup', async () => {
    const r = await withExecutor(new StressExecutor(chainFindRace, { durationMs: 2000 }), (x) => x.runTrial(1));
    expect(outcome(r)).toEqual(CLEAN);
    expect(r.user[CHAIN.ERRORS]).toBe(0);
  });

  it('C11 wait_random: the waiter on the tail wakes after the last signal', async () => {
    const r = await withExecutor(new StressExecutor(chainWait, { durationMs: 2000, params: { order: 2 } }), (x) => x.runTrial(1));
    expect(outcome(r)).toEqual(CLEAN);
    expect(pick(r, { ret: CHAIN.WAIT_RET, woke: CHAIN.WOKE_AT })).toEqual({ ret: 1, woke: CHAIN_LEN + 1 });
  });

  it('two walkers collecting the same point: the loser of the exchange puts NULL, a no-op (no underflow)', { timeout: 90_000 }, async () => {
    // The trial ends after its rounds; the duration only bounds it (a loaded host runs ~35 rounds/s).
    const r = await withExecutor(new StressExecutor(chainWalkRace, { durationMs: 60_000, params: { rounds: ROUNDS } }), (x) => x.runTrial(1));
    expect(outcome(r)).toEqual(CLEAN);
    expect(r.user[WALK.ROUNDS]).toBe(ROUNDS);
  });
});
