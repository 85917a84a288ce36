/**
 * How long this thread waited for a CPU while a piece of async work ran: the part of a wall time
 * measured on this thread's timers (a teardown's, a stopwatch's) that is the machine's load, not
 * the product's doing. Linux schedstat (exec/thread_cpu.ts); 0 where the OS does not report it
 * (the wall clock rules).
 */
import { readThreadCpu } from '../../src/exec/thread_cpu.js';

/** `fn`'s result and the time (ms) this thread spent runnable but off a CPU while it ran. */
export async function withOwnCpuWait<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const before = readThreadCpu()?.waitNs;
  const r = await fn();
  const after = readThreadCpu()?.waitNs;
  return [r, before === undefined || after === undefined ? 0 : (after - before) / 1e6];
}
