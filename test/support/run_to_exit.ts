/** Drive one actor through its exit as every executor does (exec/resume.ts resumeActor). */
import { FINISHED, resumeActor } from '../../src/exec/resume.js';
import type { Task } from '../../src/kernel/task.js';
import type { KGen } from '../../src/kernel/types.js';

/** Step `t`, whose code is `gen`, through resumeActor until it is done: its code returned, its
 *  task work ran and finishActor marked it. A throw from the code or its work propagates. */
export function runToExit(t: Task, gen: KGen<unknown>): void {
  const crash = (_t: Task, err: unknown): never => { throw err; };
  while (resumeActor(t, gen, crash) !== FINISHED);
}
