/**
 * What a signal's trace event (EV_SIGNALED, ret) records: the signalling-section depth its
 * signaller was in, dma_fence_signal's own section not counted — 0 outside every section, 1
 * inside one, and 0 for a dma_fence_signal made holding a spinlock (a callback another fence's
 * signal runs under its lock), where no section is open.
 */
import { describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { defineScenario } from '../../../src/exec/scenario.js';
import { EV_SIGNALED } from '../../../src/trace/ops.js';
import {
  dma_fence_add_callback, dma_fence_begin_signalling, dma_fence_cb_alloc, dma_fence_check_and_signal, dma_fence_context_alloc,
  dma_fence_end_signalling, dma_fence_init, dma_fence_signal, type Fence, type FenceCb, type KGen, type Task,
} from '../../fixtures/kernel.js';

interface Env { readonly fences: readonly Fence[]; readonly cb: FenceCb }

/** Callback 0: dma_fence_signal of the fence user word 0 names (id + 1). */
function signalsNamed(t: Task): void {
  dma_fence_signal(t, (t.load(0) - 1) as Fence);
}

const depths = defineScenario({
  name: 'fence-signal-depth', module: import.meta.url, params: {}, expect: 'clean', callbacks: [signalsNamed],
  setup: (t: Task): Env => {
    const ctx = dma_fence_context_alloc(t, 4);
    return { fences: [0, 1, 2, 3].map((i) => dma_fence_init(t, ctx + i, 1, { signaler: 0 })), cb: dma_fence_cb_alloc(t) };
  },
  actors: () => [{
    name: 'T',
    run: function* (t: Task, e: Env): KGen<void> {
      const [outside, inside, locked, viaCb] = e.fences as [Fence, Fence, Fence, Fence];
      dma_fence_signal(t, outside);
      const cookie = dma_fence_begin_signalling(t);
      dma_fence_signal(t, inside);
      dma_fence_end_signalling(t, cookie);
      t.store(0, locked + 1);
      dma_fence_add_callback(t, viaCb, e.cb, 0);
      dma_fence_check_and_signal(t, viaCb);
    },
  }],
});

describe('a fence signal\'s trace event', () => {
  it('records the signaller\'s section depth: 0 outside, 1 inside one, 0 holding a spinlock', () => {
    const ex = new InlineExecutor(depths, { events: true });
    const r = ex.runTrial(0);
    expect(r.end).toBe('done');
    const signals = (r.events ?? []).filter((ev) => ev.op === EV_SIGNALED).map((ev) => ev.ret);
    // outside, inside, then viaCb (check_and_signal: no section) and the callback's `locked`
    expect(signals).toEqual([0, 1, 0, 0]);
    ex.close();
  });
});
