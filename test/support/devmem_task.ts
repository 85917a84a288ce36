/** A booted task with device memory, for tests of the device-access paths. */
import { Arena } from '../../src/shm/arena.js';
import { createDeviceMemory } from '../../src/shm/devmem.js';
import { EXEC_INLINE, WAIT_SLEEP } from '../../src/shm/layout.js';
import { kernelBoot } from '../../src/kernel/boot.js';
import { Task } from '../../src/kernel/task.js';

/**
 * Task 0 (`name`) of a one-actor inline trial in an arena of `pages` pages, booted, with device
 * memory of `pageBytes` bytes a page whose every byte tells its position (pages and DMA buffers
 * alike hold distinct bytes, so a copy shows where it came from).
 */
export function devmemTask(pages: number, pageBytes: number, name: string): Task {
  const a = Arena.create({ pages });
  a.resetTrial({ actors: 1, mode: EXEC_INLINE, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
  const t = new Task(a, 0, name);
  kernelBoot(t);
  t.devmem = createDeviceMemory(a.geometry.pages, a.geometry.actors, pageBytes);
  t.devmem.bytes.forEach((_, i, b) => { b[i] = (i * 7 + 3) & 0xff; });
  return t;
}
