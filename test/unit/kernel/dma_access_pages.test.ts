import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { createDeviceMemory, dmaBuffer } from '../../../src/shm/devmem.js';
import { C_NFINDINGS, EXEC_INLINE, FINDING_WORDS, G_CODE, G_REPEATS, WAIT_SLEEP } from '../../../src/shm/layout.js';
import { warnCode } from '../../../src/kernel/warn.js';
import { kernelBoot } from '../../../src/kernel/boot.js';
import { Task } from '../../../src/kernel/task.js';
import { device_add, dma_map_sg, phys_alloc, phys_free } from '../../../src/kernel/index.js';
import { dma_engine_access, dma_engine_access_pages } from '../../../src/kernel/dma_access.js';
import { devmemTask } from '../../support/devmem_task.js';

const PAGE_BYTES = 64;

/** A 20-page mapping whose pages `freed` were freed after mapping; device memory with distinct
 *  bytes in every page and in every DMA buffer. Returns the task and the first DMA address. */
function mapped(freed: readonly number[]): { t: Task; first: number } {
  const t = devmemTask(32, PAGE_BYTES, 'engine');
  const pages = Array.from({ length: 20 }, () => phys_alloc(t, -1));
  const first = dma_map_sg(t, device_add(t), -1, pages) - 1;
  for (const i of freed) phys_free(t, pages[i]!);
  return { t, first };
}

/** Every finding recorded so far, as its raw words. */
function findings(t: Task): number[][] {
  const a = t.arena;
  return Array.from({ length: a.ctl(C_NFINDINGS) }, (_, n) => [...a.i32.subarray(a.finding(n), a.finding(n) + FINDING_WORDS)]);
}

describe('dma_engine_access_pages', () => {
  it.each([[true], [false]])('judges and copies a burst across batch boundaries as page-by-page calls do (write %s)', (write) => {
    const freed = [3, 8, 12, 19];
    const burst = mapped(freed);
    const single = mapped(freed);
    const ret = dma_engine_access_pages(burst.t, burst.first, 20, write, false);
    let singleRet = 0;
    for (let i = 0; i < 20; i++) if (dma_engine_access(single.t, single.first + i, write, false) < 0) singleRet = -1;
    expect(Math.sign(ret)).toBe(Math.sign(singleRet));
    expect(findings(burst.t)).toEqual(findings(single.t));
    // One mapping's freed pages are one finding (same check, task, mapper and freer), the rest repeats.
    expect(findings(burst.t).map((g) => [g[G_CODE], g[G_REPEATS]])).toEqual([[warnCode('DMA_USE_AFTER_FREE'), freed.length - 1]]);
    expect(Buffer.from(burst.t.devmem!.bytes).equals(Buffer.from(single.t.devmem!.bytes))).toBe(true);
  });
});

describe('dma_engine_access_pages DMA buffers', () => {
  it('lands a read in the accessing actor\'s own buffer, leaving another actor\'s as it was', () => {
    const a = Arena.create({ pages: 32, actors: 2 });
    a.resetTrial({ actors: 2, mode: EXEC_INLINE, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
    const setup = new Task(a, 0, 'setup');
    kernelBoot(setup);
    const m = createDeviceMemory(a.geometry.pages, a.geometry.actors, PAGE_BYTES);
    const page = phys_alloc(setup, -1);
    const first = dma_map_sg(setup, device_add(setup), -1, [page]) - 1;
    m.bytes.fill(0x5a, page * PAGE_BYTES, (page + 1) * PAGE_BYTES);
    const engine = new Task(a, 1, 'engine');
    engine.devmem = m;
    expect(dma_engine_access_pages(engine, first, 1, false, false)).toBe(0);
    expect([...m.bytes.subarray(dmaBuffer(m, 1), dmaBuffer(m, 1) + PAGE_BYTES)].every((b) => b === 0x5a)).toBe(true);
    expect([...m.bytes.subarray(dmaBuffer(m, 0), dmaBuffer(m, 0) + PAGE_BYTES)].every((b) => b === 0)).toBe(true);
  });
});
