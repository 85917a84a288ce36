/** The titles of the findings a task's trial recorded so far, in order, as result.ts builds them. */
import { C_NFINDINGS, G_ARG, G_CODE } from '../../src/shm/layout.js';
import type { Task } from '../../src/kernel/task.js';
import { siteName, warnSpec, warnTitle } from '../../src/kernel/warn.js';

/** `code: title` of every finding recorded in `t`'s arena this trial. */
export function findingTitles(t: Task): string[] {
  const n = Atomics.load(t.i32, t.ctl + C_NFINDINGS);
  return Array.from({ length: n }, (_, i) => {
    const g = t.arena.finding(i);
    const spec = warnSpec(t.i32[g + G_CODE]!);
    if (spec === undefined) return '?';
    return `${spec.name}: ${warnTitle(spec, siteName(t.i32[g + G_ARG]!) || spec.fn)}`;
  });
}
