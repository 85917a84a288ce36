/**
 * Reports and traces name an op's object by its kind ("mutex 3", "fence 7"): a DMA op's object is
 * the job the engine bursts for (dma_engine.ts yields packOp(OP_DMA, job)), not an iova.
 */
import { describe, expect, it } from 'vitest';
import {
  OP_DMA, OP_DMA_SPECULATIVE, OP_FENCE_WAIT, OP_LOCK, OP_RESV_READ, OP_WAIT_EVENT, opObjectKind,
} from '../../../src/trace/ops.js';

describe('op object kinds', () => {
  it.each([
    [OP_DMA, 'job'], [OP_DMA_SPECULATIVE, 'job'], [OP_LOCK, 'mutex'], [OP_FENCE_WAIT, 'fence'],
    [OP_RESV_READ, 'resv'], [OP_WAIT_EVENT, 'word'],
  ])('op %i names a %s', (op, kind) => {
    expect(opObjectKind(op)).toBe(kind);
  });
});
