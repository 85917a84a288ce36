/** Two tasks of one fresh inline trial, for tests of what one task does to another's lock. */
import { Arena } from '../../src/shm/arena.js';
import { EXEC_INLINE, WAIT_SLEEP } from '../../src/shm/layout.js';
import { kernelBoot } from '../../src/kernel/boot.js';
import { Task } from '../../src/kernel/task.js';

/** Tasks U (actor 0) and T (actor 1) of a fresh inline trial, booted. */
export function twoTasks(): [Task, Task] {
  const a = Arena.create();
  a.resetTrial({ actors: 2, mode: EXEC_INLINE, stepLimit: 100, waitPolicy: WAIT_SLEEP, replayLen: 0 });
  const u = new Task(a, 0, 'U');
  kernelBoot(u);
  return [u, new Task(a, 1, 'T')];
}
