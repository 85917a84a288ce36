// dma_fence_wait_any_timeout (kernel-semantics §3.5; dma-fence.c): -EINVAL (WARN) for no fences or
// a negative timeout; timeout 0 answers 1/0 at once with the first signaled index; otherwise the
// first fence found signaled — already, or when the sleeper wakes — with the jiffies left, 0 on
// timeout, -ERESTARTSYS when interrupted; a sleep nobody ends is a hang titled after the call.
// Every return path leaves no callback armed; a released fence whose add_callback failed is not
// touched again. Woken asleep by another actor: test/contract/kernel/dma_fence_wait_any.test.ts, under every executor.
import { describe, expect, it } from 'vitest';
import { C_CLOCK, F_CB_HEAD } from '../../../src/shm/layout.js';
import { defineScenario } from '../../../src/exec/scenario.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { withExecutorSync } from '../../support/executor.js';
import {
  EINVAL_RET, ERESTARTSYS_RET, MAX_SCHEDULE_TIMEOUT, cond_resched, dma_fence_context_alloc, dma_fence_init, dma_fence_put,
  dma_fence_signal, dma_fence_wait_any_timeout, send_signal, type Fence, type KGen, type Task, type WaitAny,
} from '../../fixtures/kernel.js';
import { codes, runOnce } from '../../fixtures/lockdep/run_once.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';
import { drive, fenceTask, findingCodes } from '../../support/fence_task.js';
import { asleep } from '../../fixtures/fence/sync.js';


/** `n` fresh fences of one context. */
function fences(t: Task, n: number): Fence[] {
  const ctx = dma_fence_context_alloc(t, 1);
  return Array.from({ length: n }, (_, i) => dma_fence_init(t, ctx, i + 1));
}

/** The fences of `fs` with a callback still on their list (none once the wait returned). */
function armed(t: Task, fs: readonly Fence[]): Fence[] {
  return fs.filter((f) => t.i32[t.arena.fence(f) + F_CB_HEAD] !== 0);
}

/** Step `g` (one task, no executor) until task `t` is asleep in it; bounded. */
function stepUntilAsleep<T>(t: Task, g: KGen<T>): void {
  for (let step = 0; !asleep(t, t.id); step++) {
    expect(step).toBeLessThan(1000);
    expect(g.next().done).toBe(false);
  }
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
    expect(armed(t, fs)).toEqual([]);
    dma_fence_signal(t, fs[0]!);
    dma_fence_signal(t, fs[2]!);
    expect(findingCodes(t)).toEqual([]);
  });

  it('is -ERESTARTSYS, interruptible with a signal pending and nothing signaled; no callback stays armed', () => {
    const t = fenceTask();
    const fs = fences(t, 2);
    send_signal(t, 0);
    expect(drive(dma_fence_wait_any_timeout(t, fs, true, MAX_SCHEDULE_TIMEOUT))).toEqual({ ret: ERESTARTSYS_RET, idx: -1 });
    expect(armed(t, fs)).toEqual([]);
    expect(findingCodes(t)).toEqual([]);
  });

  it('does not remove a callback from a fence whose add_callback failed: one use-after-free for a released fence, not two', () => {
    const t = fenceTask();
    const fs = fences(t, 3);
    dma_fence_put(t, fs[1]!);
    expect(drive(dma_fence_wait_any_timeout(t, fs, false, 10))).toEqual({ ret: 10, idx: 1 });
    expect(findingCodes(t)).toEqual(['FENCE_USE_AFTER_FREE']);
    expect(armed(t, [fs[0]!, fs[2]!])).toEqual([]);
  });

  it('gives back every callback node it allocated: 20 waits of 3 nodes in an arena of 8', () => {
    const t = fenceTask({ callbacks: 8 });
    const fs = fences(t, 3);
    dma_fence_signal(t, fs[2]!);
    for (let i = 0; i < 20; i++) expect(drive(dma_fence_wait_any_timeout(t, fs, false, 10))).toEqual({ ret: 10, idx: 2 });
    expect(findingCodes(t)).toEqual([]);
  });
});

describe('dma_fence_wait_any_timeout woken, one task stepped', () => {
  it('returns 0, not -ERESTARTSYS, when its time ran out and a signal is pending as it runs again', () => {
    const t = fenceTask();
    const fs = fences(t, 2);
    const g = dma_fence_wait_any_timeout(t, fs, true, 5);
    stepUntilAsleep(t, g);
    Atomics.add(t.i32, t.ctl + C_CLOCK, 5);
    send_signal(t, 0);
    expect(drive(g)).toEqual({ ret: 0, idx: -1 });
    expect(armed(t, fs)).toEqual([]);
  });

  it('woken by a fence, leaves no callback armed on the others', () => {
    const t = fenceTask();
    const fs = fences(t, 3);
    const g = dma_fence_wait_any_timeout(t, fs, false, MAX_SCHEDULE_TIMEOUT);
    stepUntilAsleep(t, g);
    dma_fence_signal(t, fs[0]!);
    expect(drive(g)).toEqual({ ret: MAX_SCHEDULE_TIMEOUT, idx: 0 });
    expect(armed(t, fs)).toEqual([]);
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

  it('timed out, leaves no callback armed: a node left on a fence is FENCE_CB_FREE_PENDING at its free', () => {
    const left: Fence[][] = [];
    const s = scripted('wait-any-disarmed', (t: Task): Env => ({ fs: fences(t, 3) }));
    const { r } = runOnce(s, function* (t, e) {
      yield* dma_fence_wait_any_timeout(t, e.fs, false, 5);
      left.push(armed(t, e.fs));
      for (const f of e.fs) dma_fence_signal(t, f);
    });
    expect(codes(r)).toEqual([]);
    expect(left).toEqual([[]]);
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
            while (!asleep(t, 0)) yield* cond_resched(t);
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
