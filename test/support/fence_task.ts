/** A booted task of a one-actor inline trial, for tests that call the fence model directly. */
import { Arena } from '../../src/shm/arena.js';
import { C_NFINDINGS, EXEC_INLINE, G_CODE, WAIT_SLEEP, type Geometry } from '../../src/shm/layout.js';
import { kernelBoot } from '../../src/kernel/boot.js';
import { Task } from '../../src/kernel/task.js';
import { WARNINGS } from '../../src/kernel/warn.js';

/** Task 0 of a fresh inline trial in an arena of `geometry` (defaults for the rest), booted. */
export function fenceTask(geometry: Partial<Geometry> = {}): Task {
  const a = Arena.create(geometry);
  a.resetTrial({ actors: 1, mode: EXEC_INLINE, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
  const t = new Task(a, 0, 'T');
  kernelBoot(t);
  return t;
}

/** The codes (warn.ts names) of the findings recorded so far, in order. */
export function findingCodes(t: Task): string[] {
  const n = Atomics.load(t.i32, t.ctl + C_NFINDINGS);
  return Array.from({ length: n }, (_, i) => WARNINGS[t.i32[t.arena.finding(i) + G_CODE]! - 1]?.name ?? '?');
}

/** Run kernel generator `g` to its end outside an executor (one task: nothing contends). */
export { runToEnd as drive } from '../fixtures/fence/sync.js';
