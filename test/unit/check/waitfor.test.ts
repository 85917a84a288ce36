/**
 * A hang's wait-for chain: the finding names the wait at the end of the longest chain — the
 * actor whose waker will never act — not the lowest-numbered blocked actor.
 */
import { describe, expect, it } from 'vitest';
import { hangChain, type WaitEdge } from '../../../src/check/waitfor.js';
import { defineScenario } from '../../../src/exec/scenario.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { until } from '../../fixtures/handshake.js';
import { withExecutorSync } from '../../support/executor.js';
import {
  cond_resched, dma_fence_context_alloc, dma_fence_init, dma_fence_wait, mutex_init, mutex_lock,
  type Fence, type KGen, type Mutex, type Task,
} from '../../fixtures/kernel.js';

const edge = (actor: number, kind: WaitEdge['kind'], obj: number, next: number): WaitEdge => ({ actor, kind, obj, next });

describe('hangChain', () => {
  it('puts the longest chain first and names its last wait', () => {
    const lone = edge(0, 'event', 3, -1);
    const a = edge(1, 'mutex', 5, 2);
    const b = edge(2, 'mutex', 6, 3);
    const c = edge(3, 'fence', 7, -1);
    const { waits, at } = hangChain([lone, a, b, c]);
    expect(waits).toEqual([a, b, c, lone]);
    expect(at).toBe(c);
  });

  it('names the wait whose waker finished (not blocked)', () => {
    const a = edge(0, 'fence', 2, 4);
    expect(hangChain([a])).toEqual({ waits: [a], at: a });
  });

  it('has nothing to name without edges', () => {
    expect(hangChain([])).toEqual({ waits: [], at: undefined });
  });
});

interface Env { readonly m: Mutex; readonly f: Fence }

/** `waiter` (actor 0) blocks on the mutex `holder` took before waiting on a fence nobody signals. */
const blockedBehindHolder = defineScenario({
  name: 'blocked-behind-holder', module: import.meta.url, expect: 'hang', params: {}, geometry: { userWords: 1 },
  setup: (t): Env => ({ m: mutex_init(t), f: dma_fence_init(t, dma_fence_context_alloc(t, 1), 1) }),
  actors: () => [
    { name: 'waiter', run: function* (t: Task, e: Env): KGen<void> { yield* until(t, () => t.load(0) === 1); yield* mutex_lock(t, e.m); } },
    {
      name: 'holder',
      run: function* (t: Task, e: Env): KGen<void> {
        yield* mutex_lock(t, e.m);
        t.store(0, 1);
        yield* cond_resched(t);
        yield* dma_fence_wait(t, e.f, false);
      },
    },
  ],
});

describe('a hang finding', () => {
  it('names the fence wait at the end of the chain and its actor, with the chain in order', () => {
    withExecutorSync(new InlineExecutor(blockedBehindHolder, { leakCheck: false }), (ex) => {
      const f = ex.runTrial(1).findings.find((x) => x.kind === 'hang');
      expect(f?.title).toBe('hang in dma_fence_wait_timeout');
      expect(ex.actorNames[f!.actor]).toBe('holder');
      expect(f!.waits?.map((w) => [ex.actorNames[w.actor], w.kind])).toEqual([['waiter', 'mutex'], ['holder', 'fence']]);
    });
  });
});
