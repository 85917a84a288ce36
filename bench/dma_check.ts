/**
 * What the device-access check costs per page, alone in one thread: a DMA engine's burst through
 * `dma_engine_access_pages` (every page checked against its IOMMU entry, shadow state and the
 * buffer's revocation, then copied) against a bare loop of the same wasm memory.copy calls into
 * the same pages. Small pages show the check best: at 4 KiB a copy takes ~35 ns.
 *
 * `node dist/bench/dma_check.js [--page 4096] [--reps 5]` prints one line per repetition.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { fmtShare } from '../src/campaign/stress_format.js';
import { Arena } from '../src/shm/arena.js';
import { createDeviceMemory, dmaBuffer, pageOffset } from '../src/shm/devmem.js';
import { C_NFINDINGS, EXEC_STRESS, WAIT_SLEEP } from '../src/shm/layout.js';
import { Task } from '../src/kernel/task.js';
import { kernelBoot } from '../src/kernel/boot.js';
import { device_add, dma_map_sg, phys_alloc } from '../src/kernel/index.js';
import { dma_engine_access_pages } from '../src/kernel/dma_access.js';
import { countArg, pageArg } from './args.js';
import { benchMain } from './main.js';

/** Pages in the mapping a burst covers (a stress-revoke job at 64 KiB pages). */
const PAGES = 64;

export interface CheckCost {
  /** Bytes per second through the check, and through the bare copy loop. */
  readonly checked: number;
  readonly bare: number;
  /** Extra nanoseconds per page the check costs. */
  readonly nsPerPage: number;
}

/** Measure `reps` times, each over ~4 GiB per side; throws if the check reported anything. */
export function checkCost(pageBytes: number, reps: number): CheckCost[] {
  const a = Arena.create({ pages: PAGES + 16 });
  a.resetTrial({ actors: 1, mode: EXEC_STRESS, stepLimit: 1, waitPolicy: WAIT_SLEEP, replayLen: 0 });
  const t = new Task(a, 0, 'engine');
  kernelBoot(t);
  const m = createDeviceMemory(a.geometry.pages, 1, pageBytes);
  t.devmem = m;
  const pages = Array.from({ length: PAGES }, () => phys_alloc(t, -1));
  const first = dma_map_sg(t, device_add(t), -1, pages) - 1;
  const buffer = dmaBuffer(m, t.id);
  const bursts = Math.max(1, Math.round(2 ** 32 / (PAGES * pageBytes)));
  const time = (f: () => void): number => { const t0 = performance.now(); f(); return performance.now() - t0; };
  const out: CheckCost[] = [];
  for (let r = 0; r < reps; r++) {
    const bare = time(() => { for (let i = 0; i < bursts; i++) for (const p of pages) m.copy(pageOffset(m, p), buffer, pageBytes); });
    const checked = time(() => { for (let i = 0; i < bursts; i++) dma_engine_access_pages(t, first, PAGES, true, false); });
    const bytes = bursts * PAGES * pageBytes;
    out.push({ checked: bytes / (checked / 1000), bare: bytes / (bare / 1000), nsPerPage: ((checked - bare) * 1e6) / (bursts * PAGES) });
  }
  if (a.ctl(C_NFINDINGS) !== 0) throw new Error('dma_check: the check reported a finding on a clean mapping');
  return out;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  await benchMain('dma_check', async () => {
    const { values } = parseArgs({ options: { page: { type: 'string' }, reps: { type: 'string' } } });
    const pageBytes = pageArg('--page', values.page, 4096);
    for (const c of checkCost(pageBytes, countArg('--reps', values.reps, 5))) {
      console.log(`${pageBytes} B pages: checked ${(c.checked / 1e9).toFixed(1)} GB/s, bare ${(c.bare / 1e9).toFixed(1)} GB/s, `
        + `${fmtShare(c.checked / c.bare)}, check ${c.nsPerPage.toFixed(1)} ns/page`);
    }
  });
}
