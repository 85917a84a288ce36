// refcount_t saturation (include/linux/refcount.h, lib/refcount.c; kernel-semantics §8.10): a put
// with no reference left, or a get on a zero count, WARNs once a trial (REFCOUNT_WARN is
// WARN_ONCE) and leaves the count at REFCOUNT_SATURATED, so the object is never released twice and
// never comes back to life — for a dma-buf's file references and for a kref alike. A get on 0 is
// __refcount_add's REFCOUNT_ADD_UAF ("addition on 0; use-after-free"); a get on the saturated
// count its REFCOUNT_ADD_OVF ("saturated; leaking memory"), for a dma_buf_get as for a kref_get.
// Sequential, one actor: run on both executors, one trial each.
import { describe, expect, it } from 'vitest';
import { REFCOUNT_SATURATED } from '../../../src/kernel/kref.js';
import { EXECUTORS, runTrials } from '../../support/both.js';
import { R, dmabufGetOnZero, dmabufPutAfterRelease, krefGetOnZero, krefPutBelowZero } from '../../fixtures/refs/refcount.js';

const pairs = (r: { findings: readonly { code: string; title: string }[] }) => r.findings.map((f) => [f.code, f.title]);

describe.each(EXECUTORS)('refcount_t saturation (%s)', (kind) => {
  it('dma_buf_put after the release: one underflow finding, released once; a later get on the saturated count WARNs saturated and does not revive it', async () => {
    const [r] = await runTrials(kind, dmabufPutAfterRelease, 1);
    expect(r!.end).toBe('done');
    expect(pairs(r!)).toEqual([
      ['DMABUF_PUT_UNDERFLOW', 'refcount-underflow in dma_buf_put'],
      ['DMABUF_GET_SATURATED', 'leak in dma_buf_get'],
    ]);
    expect([r!.user[R.RELEASES], r!.user[R.ACTIVE]]).toEqual([1, 0]);
  });

  it('dma_buf_get on zero: addition on 0, then saturated for the next get; a later put releases nothing', async () => {
    const [r] = await runTrials(kind, dmabufGetOnZero, 1);
    expect(r!.end).toBe('done');
    expect(pairs(r!)).toEqual([
      ['DMABUF_GET_RELEASED', 'use-after-free in dma_buf_get'],
      ['DMABUF_GET_SATURATED', 'leak in dma_buf_get'],
      ['DMABUF_PUT_UNDERFLOW', 'refcount-underflow in dma_buf_put'],
    ]);
    expect([r!.user[R.RELEASES], r!.user[R.ACTIVE]]).toEqual([1, 0]);
  });

  it('kref_put below zero: one underflow finding, the count saturates and never reaches 0 again until kref_init; a get on it WARNs saturated', async () => {
    const [r] = await runTrials(kind, krefPutBelowZero, 1);
    expect(pairs(r!)).toEqual([['KREF_PUT_UNDERFLOW', 'refcount-underflow in kref_put'], ['KREF_GET_SATURATED', 'leak in kref_get']]);
    expect(r!.user[R.COUNT]).toBe(REFCOUNT_SATURATED);
    expect(r!.user[R.RELEASES]).toBe(2);
    expect(r!.user[R.REARMED]).toBe(1);
  });

  it('kref_get on zero: one finding per warning (addition on 0, then saturated), the count saturates and a later put releases nothing', async () => {
    const [r] = await runTrials(kind, krefGetOnZero, 1);
    expect(pairs(r!)).toEqual([
      ['KREF_GET_ZERO', 'refcount-underflow in kref_get'],
      ['KREF_GET_SATURATED', 'leak in kref_get'],
      ['KREF_PUT_UNDERFLOW', 'refcount-underflow in kref_put'],
    ]);
    expect([r!.user[R.COUNT], r!.user[R.RELEASES]]).toEqual([REFCOUNT_SATURATED, 1]);
  });
});
