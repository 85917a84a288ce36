/**
 * Reports and traces name an op's object by its kind ("mutex 3", "fence 7"): a DMA op's object is
 * the job the engine bursts for (dma_engine.ts yields packOp(OP_DMA, job)), not an iova; a
 * device's access through an IOMMU domain (lib/iommufd_user.ts) names the domain, not a job.
 */
import { describe, expect, it } from 'vitest';
import {
  OP_DMA, OP_DMA_DOMAIN, OP_DMA_SPECULATIVE, OP_FENCE_WAIT, OP_LOCK, OP_RESV_READ, OP_WAIT_EVENT, opName, opObjectKind,
} from '../../../src/trace/ops.js';

describe('op object kinds', () => {
  it.each([
    [OP_DMA, 'job'], [OP_DMA_SPECULATIVE, 'job'], [OP_LOCK, 'mutex'], [OP_FENCE_WAIT, 'fence'],
    [OP_RESV_READ, 'resv'], [OP_WAIT_EVENT, 'word'], [OP_DMA_DOMAIN, 'domain'],
  ])('op %i names a %s', (op, kind) => {
    expect(opObjectKind(op)).toBe(kind);
  });

  it('names a device access through a domain dma-domain, apart from an engine job\'s dma', () => {
    expect([opName(OP_DMA_DOMAIN), opName(OP_DMA)]).toEqual(['dma-domain', 'dma']);
  });
});
