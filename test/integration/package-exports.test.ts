import { describe, expect, it } from 'vitest';

describe('package entry points', () => {
  it('resolve dmabuf-harness and dmabuf-harness/kernel as the README shows', async () => {
    // Non-literal specifiers: tsc must not resolve them before dist/ exists (a clean build).
    const [libSpec, kernelSpec] = ['dmabuf-harness', 'dmabuf-harness/kernel'];
    const lib = (await import(libSpec)) as Record<string, unknown>;
    const kernel = (await import(kernelSpec)) as Record<string, unknown>;
    expect(typeof lib.defineScenario).toBe('function');
    expect(typeof lib.InlineExecutor).toBe('function');
    expect(typeof kernel.dma_resv_lock).toBe('function');
    expect(typeof kernel.dma_buf_map_attachment).toBe('function');
  });
});
