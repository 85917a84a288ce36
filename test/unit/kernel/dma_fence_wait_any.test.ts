// dma_fence_wait_any_timeout (kernel-semantics §3.5; dma-fence.c): -EINVAL (WARN) for no fences or
// a negative timeout; timeout 0 answers 1/0 at once with the first signaled index; otherwise the
// first fence found signaled — already, or when the sleeper wakes — with the jiffies left, 0 on
// timeout, -ERESTARTSYS when interrupted; a sleep nobody ends is a hang titled after the call.
// Woken asleep by another actor: test/contract/kernel/dma_fence_wait_any.test.ts, under every executor.
import { describe, expect, it } from 'vitest';
import { ACTOR_BLOCKED, A_STATE } from '../../../src/shm/layout.js';
import { defineScenario } from '../../../src/exec/scenario.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { withExecutorSync } from '../../support/executor.js';
import {
  ERESTARTSYS_RET, MAX_SCHEDULE_TIMEOUT, cond_resched, dma_fence_context_alloc, dma_fence_init, dma_fence_put,
  dma_fence_signal, dma_fence_wait_any_timeout, send_signal, type Fence, type KGen, type Task, type WaitAny,
} from '../../fixtures/kernel.js';
import { codes, runOnce } from '../../fixtures/lockdep/run_once.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';
import { drive, fenceTask, findingCodes } from '../../support/fence_task.js';

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

describe('dma_fence_wait_any_timeout asleep', () => {
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

  it('finds a fence released while it slept at its wake\'s flag test: a use-after-free there', () => {
    const out: WaitAny[] = [];
    const s = defineScenario({
      name: 'wait-any-released', module: import.meta.url, expect: 'clean', params: {},
      setup: (t: Task): Env => ({ fs: fences(t, 2) }),
      actors: () => [
        { name: 'waiter', run: function* (t: Task, e: Env): KGen<void> { out.push(yield* dma_fence_wait_any_timeout(t, e.fs, false, MAX_SCHEDULE_TIMEOUT)); } },
        {
          name: 'putter', run: function* (t: Task, e: Env): KGen<void> {
            while (Atomics.load(t.i32, t.arena.actor(0) + A_STATE) !== ACTOR_BLOCKED) yield* cond_resched(t);
            dma_fence_put(t, e.fs[0]!);
            dma_fence_signal(t, e.fs[1]!);
          },
        },
      ],
    });
    const r = withExecutorSync(new InlineExecutor(s, { leakCheck: false }), (ex) => ex.runTrial(0));
    expect(r.findings.map((f) => f.title)).toContain('use-after-free in dma_fence_test_signaled_flag');
    expect(out).toEqual([{ ret: MAX_SCHEDULE_TIMEOUT, idx: 0 }]);
  });
});
