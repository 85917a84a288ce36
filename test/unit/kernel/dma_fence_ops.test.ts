// Container fence ops (src/kernel/dma_fence_ops.ts): a thread that never imported the container
// files still finds their ops (dma_fence_signal.ts loads them), and a kind with no ops registered
// throws ERR_FENCE_OPS instead of skipping the op.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { container_ops } from '../../../src/kernel/dma_fence_ops.js';
import { FOPS_ARRAY, FOPS_CHAIN, F_OPS } from '../../../src/shm/layout.js';
import { dma_fence_context_alloc, dma_fence_init } from '../../fixtures/kernel.js';
import { fenceTask } from '../../support/fence_task.js';

const KERNEL = new URL('../../../src/kernel/', import.meta.url);

describe('container_ops', () => {
  it('finds both containers\' ops in a thread that imported only the fence core', () => {
    const script = `
      await import(${JSON.stringify(new URL('dma_fence_ref.js', KERNEL).href)});
      const { container_ops } = await import(${JSON.stringify(new URL('dma_fence_ops.js', KERNEL).href)});
      const i32 = new Int32Array(${F_OPS + 1});
      const t = { i32, arena: { fence: () => 0 } };
      const found = [${FOPS_ARRAY}, ${FOPS_CHAIN}].map((k) => { i32[${F_OPS}] = k; return container_ops(t, 0) !== undefined; });
      process.stdout.write(JSON.stringify(found));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(KERNEL), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([true, true]);
  });

  it('throws ERR_FENCE_OPS for container kind bits no ops are registered for', () => {
    const t = fenceTask();
    const f = dma_fence_init(t, dma_fence_context_alloc(t, 1), 1, { signaler: -1 });
    t.i32[t.arena.fence(f) + F_OPS] = FOPS_ARRAY | FOPS_CHAIN;
    expect(() => container_ops(t, f)).toThrow(expect.objectContaining({ code: 'ERR_FENCE_OPS' }));
  });
});
