// dma_fence_wait_any_timeout (kernel-semantics §3.5; dma-fence.c): -EINVAL (WARN) for no fences or
// a negative timeout; timeout 0 answers 1/0 at once with the first signaled index; otherwise the
// first fence found signaled — already, or when the sleeper wakes — with the jiffies left, 0 on
// timeout, -ERESTARTSYS when interrupted; a sleep nobody ends is a hang titled after the call.
import { describe, expect, it } from 'vitest';
import { ACTOR_BLOCKED, A_STATE } from '../../../src/shm/layout.js';
import {
  ERESTARTSYS_RET, MAX_SCHEDULE_TIMEOUT, cond_resched, dma_fence_context_alloc, dma_fence_init, dma_fence_signal,
  dma_fence_wait_any_timeout, msleep, send_signal, type Fence, type KGen, type Task, type WaitAny,
} from '../../fixtures/kernel.js';
import { codes, runOnce } from '../../fixtures/lockdep/run_once.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';
import { drive, fenceTask, findingCodes } from '../../support/fence_task.js';
import { defineScenario } from '../../../src/exec/scenario.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { withExecutorSync } from '../../support/executor.js';

const EINVAL_RET = -22;

/** `n` fresh fences of one context. */
function fences(t: Task, n: number): Fence[] {
  const ctx = dma_fence_context_alloc(t, 1);
  return Array.from({ length: n }, (_, i) => dma_fence_init(t, ctx, i + 1));
}

describe('dma_fence_wait_any_timeout without sleeping', () => {
  it('is -EINVAL with FENCE_WAIT_ANY_INVALID for no fences and for a negative timeout', () => {
    const t = fenceTask();
    expect(drive(dma_fence_wait_any_timeout(t, [], false, 10))).toEqual({ ret: EINVAL_RET, idx: -1 });
    expect(drive(dma_fence_wait_any_timeout(t, fences(t, 1), false, -1))).toEqual({ ret: EINVAL_RET, idx: -1 });
    expect(findingCodes(t)).toEqual(['FENCE_WAIT_ANY_INVALID', 'FENCE_WAIT_ANY_INVALID']);
  });

  it('with timeout 0 answers 0 when none is signaled, 1 and the first signaled index otherwise', () => {
    const t = fenceTask();
    const fs = fences(t, 3);
    expect(drive(dma_fence_wait_any_timeout(t, fs, false, 0))).toEqual({ ret: 0, idx: -1 });
    dma_fence_signal(t, fs[2]!);
    dma_fence_signal(t, fs[1]!);
    expect(drive(dma_fence_wait_any_timeout(t, fs, false, 0))).toEqual({ ret: 1, idx: 1 });
  });

  it('returns the whole timeout and the index of a fence signaled before it sleeps; no callback stays armed', () => {
    const t = fenceTask();
    const fs = fences(t, 3);
    dma_fence_signal(t, fs[1]!);
    expect(drive(dma_fence_wait_any_timeout(t, fs, true, 10))).toEqual({ ret: 10, idx: 1 });
    dma_fence_signal(t, fs[0]!);
    dma_fence_signal(t, fs[2]!);
    expect(findingCodes(t)).toEqual([]);
  });

  it('is -ERESTARTSYS, interruptible with a signal pending and nothing signaled', () => {
    const t = fenceTask();
    send_signal(t, 0);
    expect(drive(dma_fence_wait_any_timeout(t, fences(t, 2), true, MAX_SCHEDULE_TIMEOUT))).toEqual({ ret: ERESTARTSYS_RET, idx: -1 });
    expect(findingCodes(t)).toEqual([]);
  });
});

interface Env { readonly fs: Fence[] }

/** Whether actor `actor` is asleep. */
const asleep = (t: Task, actor: number): boolean => Atomics.load(t.i32, t.arena.actor(actor) + A_STATE) === ACTOR_BLOCKED;

/**
 * A waiter on 3 fences, and a signaller of fence `signal` once the waiter sleeps and `delay`
 * jiffies more have passed (of the rest once it returned).
 */
function waitScenario(signal: number, timeout: number, out: WaitAny[], delay = 0) {
  return defineScenario({
    name: 'wait-any', module: import.meta.url, expect: 'clean', params: {},
    setup: (t: Task): Env => ({ fs: fences(t, 3) }),
    actors: () => [
      { name: 'waiter', run: function* (t: Task, e: Env): KGen<void> { out.push(yield* dma_fence_wait_any_timeout(t, e.fs, false, timeout)); } },
      {
        name: 'signaller', run: function* (t: Task, e: Env): KGen<void> {
          while (!asleep(t, 0)) yield* cond_resched(t);
          if (delay > 0) yield* msleep(t, delay);
          dma_fence_signal(t, e.fs[signal]!);
          while (out.length === 0) yield* cond_resched(t);
          for (const f of e.fs) dma_fence_signal(t, f);
        },
      },
    ],
  });
}

describe('dma_fence_wait_any_timeout asleep', () => {
  it.each([[0], [1], [2]])('wakes when fence %i signals, with its index and the time left', (i) => {
    const out: WaitAny[] = [];
    const r = withExecutorSync(new InlineExecutor(waitScenario(i, MAX_SCHEDULE_TIMEOUT, out)), (ex) => ex.runTrial(0));
    expect(r.findings).toEqual([]);
    expect(out).toEqual([{ ret: MAX_SCHEDULE_TIMEOUT, idx: i }]);
  });

  it('returns the jiffies left of its timeout when a fence signals after it slept', () => {
    const out: WaitAny[] = [];
    const r = withExecutorSync(new InlineExecutor(waitScenario(1, 1000, out, 300)), (ex) => ex.runTrial(0));
    expect(r.findings).toEqual([]);
    expect(out).toEqual([{ ret: 700, idx: 1 }]);
  });

  it('returns 0 when its time runs out', () => {
    const out: WaitAny[] = [];
    const s = scripted('wait-any-timeout', (t: Task): Env => ({ fs: fences(t, 2) }));
    const { r } = runOnce(s, function* (t, e) {
      out.push(yield* dma_fence_wait_any_timeout(t, e.fs, false, 5));
      for (const f of e.fs) dma_fence_signal(t, f);
    });
    expect(codes(r)).toEqual([]);
    expect(out).toEqual([{ ret: 0, idx: -1 }]);
  });

  it('that nobody ends is a hang titled after it', () => {
    const s = scripted('wait-any-hang', (t: Task): Env => ({ fs: fences(t, 2) }));
    const { r } = runOnce(s, function* (t, e) { yield* dma_fence_wait_any_timeout(t, e.fs, false, MAX_SCHEDULE_TIMEOUT); });
    expect(r.findings.filter((f) => f.kind === 'hang' || f.kind === 'deadlock').map((f) => f.title)).toEqual(['hang in dma_fence_wait_any_timeout']);
  });
});
