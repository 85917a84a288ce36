import { describe, expect, it } from 'vitest';
import { attachDeviceMemory, createDeviceMemory, dmaBuffer, shareDeviceMemory } from '../../../src/shm/devmem.js';

const PAGE_BYTES = 4096;

describe('device memory', () => {
  it('places one DMA buffer per actor after the pages, none overlapping another', () => {
    const m = createDeviceMemory(10, 3, PAGE_BYTES);
    const starts = [0, 1, 2].map((actor) => dmaBuffer(m, actor));
    expect(starts[0]).toBe(10 * PAGE_BYTES);
    expect(starts[1]! - starts[0]!).toBe(PAGE_BYTES);
    expect(starts[2]! - starts[1]!).toBe(PAGE_BYTES);
    expect(m.bytes.length).toBeGreaterThanOrEqual(starts[2]! + PAGE_BYTES);
  });

  it('copies into one actor buffer without touching the next', () => {
    const m = createDeviceMemory(2, 2, PAGE_BYTES);
    m.bytes.fill(7, 0, PAGE_BYTES);
    m.copy(dmaBuffer(m, 0), 0, PAGE_BYTES);
    expect(m.bytes[dmaBuffer(m, 0) + PAGE_BYTES - 1]).toBe(7);
    expect(m.bytes[dmaBuffer(m, 1)]).toBe(0);
  });

  it('shows an attached share the same bytes and the same buffers', () => {
    const m = createDeviceMemory(4, 2, PAGE_BYTES);
    const other = attachDeviceMemory(shareDeviceMemory(m));
    m.bytes[PAGE_BYTES] = 42;
    other.copy(dmaBuffer(other, 1), PAGE_BYTES, 8);
    expect(dmaBuffer(other, 1)).toBe(dmaBuffer(m, 1));
    expect(m.bytes[dmaBuffer(m, 1)]).toBe(42);
  });
});
