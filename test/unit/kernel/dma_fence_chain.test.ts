// dma_fence_chain (kernel-semantics §3.7, §3.10, §7.2 C1..C5, C7, C8; st-dma-fence-chain.c):
// find_seqno moves to the point that signals a seqno, -EINVAL past the head, and skips points the
// walk collected; a point signals when its fence and every earlier one did. The races and waits
// (C6, C9..C11) are multi-actor trials: test/contract/kernel/dma_fence_chain.test.ts.
import { describe, expect, it } from 'vitest';
import {
  EINVAL_RET, NULL_FENCE, dma_fence_chain_find_seqno, dma_fence_chain_init, dma_fence_chain_walk, dma_fence_get, dma_fence_is_signaled, dma_fence_put,
  dma_fence_refcount, dma_fence_seqno, dma_fence_signal, type Fence, type Task,
} from '../../fixtures/kernel.js';
import { CHAIN_GEOMETRY, fenceChains } from '../../fixtures/fence/chain.js';
import { fenceTask, findingCodes } from '../../support/fence_task.js';
import { WARNINGS, warnCode, warnTitle } from '../../../src/kernel/warn.js';
import { G_AUX } from '../../../src/shm/layout.js';


/** find_seqno from a reference to `from`: its return and where the reference went. */
function find(t: Task, from: Fence, seqno: number): { ret: number; f: Fence } {
  const p = { f: dma_fence_get(t, from) };
  const ret = dma_fence_chain_find_seqno(t, p, seqno);
  if (p.f >= 0) dma_fence_put(t, p.f);
  return { ret, f: p.f };
}

describe('dma_fence_chain', () => {
  it('C1 sanitycheck: a point over a signalled fence signals; walking past the end gives NULL', () => {
    const t = fenceTask(CHAIN_GEOMETRY);
    const { fences, chains } = fenceChains(t, 1, (i) => i + 1, false);
    dma_fence_signal(t, fences[0]!);
    expect(dma_fence_is_signaled(t, chains[0]!)).toBe(true);
    expect(dma_fence_chain_walk(t, dma_fence_get(t, chains[0]!))).toBe(NULL_FENCE);
    expect(dma_fence_refcount(t, chains[0]!)).toBe(1);
    expect(findingCodes(t)).toEqual([]);
  });

  it('C2 find_seqno: 0 stays, i + 1 is point i (also from itself), a future seqno is -EINVAL, i is point i - 1', () => {
    const t = fenceTask(CHAIN_GEOMETRY);
    const { chains } = fenceChains(t, 64, (i) => i + 1);
    expect(find(t, chains[63]!, 0)).toEqual({ ret: 0, f: chains[63] });
    chains.forEach((c, i) => {
      expect(find(t, chains[63]!, i + 1)).toEqual({ ret: 0, f: c });
      expect(find(t, c, i + 1)).toEqual({ ret: 0, f: c });
      expect(find(t, c, i + 2).ret).toBe(EINVAL_RET);
      if (i > 0) expect(find(t, c, i)).toEqual({ ret: 0, f: chains[i - 1] });
    });
    expect(findingCodes(t)).toEqual([]);
  });

  it('C3 find_signaled: with the first fence signalled, seqno 1 is NULL or point 0', () => {
    const t = fenceTask(CHAIN_GEOMETRY);
    const { fences, chains } = fenceChains(t, 2, (i) => i + 1);
    dma_fence_signal(t, fences[0]!);
    expect([NULL_FENCE, chains[0]]).toContain(find(t, chains[1]!, 1).f);
  });

  it('C4 find_out_of_order: with the middle of 1-2-3 signalled, seqno 2 is point 0, the earliest unsignalled', () => {
    const t = fenceTask(CHAIN_GEOMETRY);
    const { fences, chains } = fenceChains(t, 3, (i) => i + 1);
    dma_fence_signal(t, fences[1]!);
    expect(find(t, chains[2]!, 2)).toEqual({ ret: 0, f: chains[0] });
  });

  it('C5 find_gap: on seqnos 2, 4, 6 ... an odd seqno is the next even point', () => {
    const t = fenceTask(CHAIN_GEOMETRY);
    const { chains } = fenceChains(t, 64, (i) => 2 * i + 2);
    chains.forEach((c, i) => {
      expect(dma_fence_seqno(t, c)).toBe(2 * i + 2);
      expect(find(t, c, 2 * i + 1)).toEqual({ ret: 0, f: c });
      expect(find(t, c, 2 * i + 2)).toEqual({ ret: 0, f: c });
    });
  });

  it('C7 signal_forward: signalling in order signals point i and not yet point i + 1', () => {
    const t = fenceTask(CHAIN_GEOMETRY);
    const { fences, chains } = fenceChains(t, 64, (i) => i + 1);
    fences.forEach((f, i) => {
      dma_fence_signal(t, f);
      expect(dma_fence_is_signaled(t, chains[i]!)).toBe(true);
      if (i + 1 < chains.length) expect(dma_fence_is_signaled(t, chains[i + 1]!)).toBe(false);
    });
  });

  it.each([true, false])('C8 signal_backward (signalling enabled: %s): nothing signals before the first fence, then all', (enable) => {
    const t = fenceTask(CHAIN_GEOMETRY);
    const { fences, chains } = fenceChains(t, 64, (i) => i + 1, enable);
    for (let i = 63; i > 0; i--) {
      dma_fence_signal(t, fences[i]!);
      expect(dma_fence_is_signaled(t, chains[i]!)).toBe(false);
    }
    dma_fence_signal(t, fences[0]!);
    expect(chains.map((c) => dma_fence_is_signaled(t, c))).toEqual(chains.map(() => true));
    expect(findingCodes(t)).toEqual([]);
  });

  it('gives back its words and callback node at release: 200 points one after another fit the default geometry', () => {
    const t = fenceTask();
    for (let i = 0; i < 200; i++) {
      const { fences, chains } = fenceChains(t, 1, () => 1);
      dma_fence_signal(t, fences[0]!);
      dma_fence_put(t, fences[0]!);
      dma_fence_put(t, chains[0]!);
    }
    expect(findingCodes(t)).toEqual([]);
  });

  it('WARNs FENCE_CHAIN_NESTED when a node is the fence of another node, and still makes the node', () => {
    const t = fenceTask(CHAIN_GEOMETRY);
    const { chains } = fenceChains(t, 1, (i) => i + 1, false);
    const outer = dma_fence_chain_init(t, NULL_FENCE, dma_fence_get(t, chains[0]!), 2);
    expect(outer).not.toBe(NULL_FENCE);
    expect(findingCodes(t)).toEqual(['FENCE_CHAIN_NESTED']);
    expect(t.i32[t.arena.finding(0) + G_AUX]).toBe(chains[0]! + 1);
    expect(warnTitle(WARNINGS[warnCode('FENCE_CHAIN_NESTED') - 1]!)).toBe('assertion in dma_fence_chain_init');
  });
});
