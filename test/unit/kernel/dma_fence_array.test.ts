// dma_fence_array (kernel-semantics §3.7): signals when all (or any) of its fences did, with the
// first error; arms callbacks only once signalling is enabled; owns its fences' references and
// puts them at release; capacity exhaustion throws ERR_ARENA_GEOMETRY; dma_fence_array_init's WARNs.
import { describe, expect, it } from 'vitest';
import {
  NULL_FENCE, dma_fence_add_callback, dma_fence_array_create, dma_fence_cb_alloc, dma_fence_array_first, dma_fence_array_next, dma_fence_array_num_fences,
  dma_fence_context_alloc, dma_fence_enable_sw_signaling, dma_fence_get, dma_fence_get_status, dma_fence_init,
  dma_fence_is_array, dma_fence_is_container, dma_fence_match_context, dma_fence_put, dma_fence_refcount,
  dma_fence_set_error, dma_fence_signal, dma_fence_test_signaled_flag, type Fence, type Task,
} from '../../fixtures/kernel.js';
import { fenceTask, findingCodes } from '../../support/fence_task.js';
import { WARNINGS, warnCode, warnTitle } from '../../../src/kernel/warn.js';
import { G_AUX } from '../../../src/shm/layout.js';

const EIO = -5;
const EINVAL = -22;

/** `n` unsignaled fences on contexts of their own, and an array of them (their references moved in). */
function arrayOf(t: Task, n: number, any = false): { fences: Fence[]; array: Fence } {
  const ctx = dma_fence_context_alloc(t, n + 1);
  const fences = Array.from({ length: n }, (_, i) => dma_fence_init(t, ctx + i, 1));
  fences.forEach((f) => dma_fence_get(t, f));
  return { fences, array: dma_fence_array_create(t, n, fences, ctx + n, 1, any) };
}

describe('dma_fence_array', () => {
  it('signals once every fence signalled, and not before', () => {
    const t = fenceTask();
    const { fences, array } = arrayOf(t, 3);
    dma_fence_enable_sw_signaling(t, array);
    for (const f of fences) {
      expect(dma_fence_test_signaled_flag(t, array)).toBe(false);
      dma_fence_signal(t, f);
    }
    expect(dma_fence_test_signaled_flag(t, array)).toBe(true);
    expect(dma_fence_get_status(t, array)).toBe(1);
    expect(findingCodes(t)).toEqual([]);
  });

  it('with signal_on_any signals at the first fence', () => {
    const t = fenceTask();
    const { fences, array } = arrayOf(t, 3, true);
    dma_fence_enable_sw_signaling(t, array);
    dma_fence_signal(t, fences[1]!);
    expect(dma_fence_test_signaled_flag(t, array)).toBe(true);
  });

  it('takes the first error any of its fences reported', () => {
    const t = fenceTask();
    const { fences, array } = arrayOf(t, 3);
    dma_fence_enable_sw_signaling(t, array);
    dma_fence_signal(t, fences[0]!);
    dma_fence_set_error(t, fences[2]!, EIO);
    dma_fence_signal(t, fences[2]!);
    dma_fence_set_error(t, fences[1]!, EINVAL);
    dma_fence_signal(t, fences[1]!);
    expect(dma_fence_get_status(t, array)).toBe(EIO);
  });

  it('signals at enable when its fences signalled already, with their error', () => {
    const t = fenceTask();
    const { fences, array } = arrayOf(t, 2);
    dma_fence_set_error(t, fences[0]!, EIO);
    fences.forEach((f) => dma_fence_signal(t, f));
    expect(dma_fence_test_signaled_flag(t, array)).toBe(false);
    dma_fence_enable_sw_signaling(t, array);
    expect(dma_fence_get_status(t, array)).toBe(EIO);
  });

  it('signals from irq_work: a later callback on the last fence still sees the array unsignalled', () => {
    const t = fenceTask();
    const { fences, array } = arrayOf(t, 1);
    dma_fence_enable_sw_signaling(t, array);
    const seen: boolean[] = [];
    t.callbacks = [(tt) => { seen.push(dma_fence_test_signaled_flag(tt, array)); }];
    expect(dma_fence_add_callback(t, fences[0]!, dma_fence_cb_alloc(t), 0)).toBe(0);
    dma_fence_signal(t, fences[0]!);
    expect(seen).toEqual([false]);
    expect(dma_fence_test_signaled_flag(t, array)).toBe(true);
  });

  it('reports signalled through its signaled op without signalling enabled (dma_fence_is_signaled)', () => {
    const t = fenceTask();
    const { fences, array } = arrayOf(t, 2);
    dma_fence_signal(t, fences[0]!);
    expect(dma_fence_get_status(t, array)).toBe(0);
    dma_fence_signal(t, fences[1]!);
    expect(dma_fence_get_status(t, array)).toBe(1);
    expect(dma_fence_test_signaled_flag(t, array)).toBe(true);
  });

  it('holds a reference per armed callback until it runs, and puts its fences at release', () => {
    const t = fenceTask();
    const { fences, array } = arrayOf(t, 2);
    dma_fence_enable_sw_signaling(t, array);
    expect(dma_fence_refcount(t, array)).toBe(3);
    fences.forEach((f) => dma_fence_signal(t, f));
    expect(dma_fence_refcount(t, array)).toBe(1);
    expect(fences.map((f) => dma_fence_refcount(t, f))).toEqual([2, 2]);
    dma_fence_put(t, array);
    expect(dma_fence_refcount(t, array)).toBe(0);
    expect(fences.map((f) => dma_fence_refcount(t, f))).toEqual([1, 1]);
    expect(findingCodes(t)).toEqual([]);
  });

  it.each([
    ['callback nodes', { callbacks: 2 }],
    ['private words', { privWords: 5 }],
  ])('throws ERR_ARENA_GEOMETRY when its %s do not fit (a harness capacity limit, not -ENOMEM)', (_, geometry) => {
    const t = fenceTask(geometry);
    expect(() => arrayOf(t, 3)).toThrow(expect.objectContaining({ code: 'ERR_ARENA_GEOMETRY' }));
  });

  it('gives back its words and callback nodes at release: 200 arrays one after another fit the default geometry', () => {
    const t = fenceTask();
    for (let i = 0; i < 200; i++) {
      const { fences, array } = arrayOf(t, 2);
      expect(array).not.toBe(NULL_FENCE);
      dma_fence_enable_sw_signaling(t, array);
      fences.forEach((f) => { dma_fence_signal(t, f); dma_fence_put(t, f); });
      dma_fence_put(t, array);
    }
    expect(findingCodes(t)).toEqual([]);
  });

  it('WARNs FENCE_ARRAY_EMPTY for no fences and FENCE_ARRAY_CONTAINER for an array inside', () => {
    const t = fenceTask();
    const inner = arrayOf(t, 2).array;
    const empty = dma_fence_array_create(t, 0, [], dma_fence_context_alloc(t, 1), 1, false);
    expect(empty).not.toBe(NULL_FENCE);
    const outer = dma_fence_array_create(t, 1, [inner], dma_fence_context_alloc(t, 1), 1, false);
    expect(outer).not.toBe(NULL_FENCE);
    expect(findingCodes(t)).toEqual(['FENCE_ARRAY_EMPTY', 'FENCE_ARRAY_CONTAINER']);
    expect(warnTitle(WARNINGS[warnCode('FENCE_ARRAY_CONTAINER') - 1]!))
      .toBe('assertion in dma_fence_array_init (dma_fence_is_container(fences[num_fences]))');
  });

  it('WARNs FENCE_ARRAY_CONTAINER for each container inside, last fence first as dma_fence_array_init loops', () => {
    const t = fenceTask();
    const inner = [arrayOf(t, 1).array, arrayOf(t, 1).array];
    const outer = dma_fence_array_create(t, 2, inner, dma_fence_context_alloc(t, 1), 1, false);
    expect(outer).not.toBe(NULL_FENCE);
    expect(findingCodes(t)).toEqual(['FENCE_ARRAY_CONTAINER', 'FENCE_ARRAY_CONTAINER']);
    expect([0, 1].map((i) => t.i32[t.arena.finding(i) + G_AUX])).toEqual([inner[1]! + 1, inner[0]! + 1]);
  });

  it('iterates as dma_fence_array_first / _next, and matches a context only when all fences are on it', () => {
    const t = fenceTask();
    const { fences, array } = arrayOf(t, 2);
    expect([dma_fence_is_array(t, array), dma_fence_is_container(t, array), dma_fence_is_array(t, fences[0]!)]).toEqual([true, true, false]);
    expect(dma_fence_array_num_fences(t, array)).toBe(2);
    expect([dma_fence_array_first(t, array), dma_fence_array_next(t, array, 1), dma_fence_array_next(t, array, 2)])
      .toEqual([fences[0], fences[1], NULL_FENCE]);
    expect(dma_fence_array_first(t, fences[1]!)).toBe(fences[1]);
    expect(dma_fence_array_first(t, NULL_FENCE)).toBe(NULL_FENCE);
    const ctx = dma_fence_context_alloc(t, 1);
    const same = [1, 2].map((s) => dma_fence_init(t, ctx, s));
    const one = dma_fence_array_create(t, 2, same, dma_fence_context_alloc(t, 1), 1, false);
    expect([dma_fence_match_context(t, one, ctx), dma_fence_match_context(t, array, ctx)]).toEqual([true, false]);
  });
});
