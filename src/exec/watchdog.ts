/**
 * A watchdog for synchronous work in this thread: the inline executor runs actors' code (a user's
 * driver model among it) on the thread that decides, so an actor looping without yielding would
 * hang the harness with nothing left to notice. `watched` runs a function under V8's execution
 * timeout (node:vm's `timeout`, a watchdog thread that terminates the isolate's running script):
 * past its time the function is stopped where it stands and the caller learns that it was.
 *
 * What termination leaves: no `finally` block of the stopped code runs and generators it was
 * resuming are dead; objects it was changing keep their half-written state. Callers end the work
 * themselves (the inline executor ends the trial as a hang and resets its arena for the next).
 * Starting the watch costs a thread start (~50 µs here), so callers watch batches of work, not
 * single steps.
 */
import vm from 'node:vm';

/** Returned by `watched` when the function ran out of time. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/** A watch: `watched`, or a stand-in with its contract (ExecOptions.watch). */
export type Watch = <T>(fn: () => T, ms: number) => T | typeof TIMED_OUT;

interface Slot { fn: (() => unknown) | null; out: unknown }

let runner: { readonly script: vm.Script; readonly slot: Slot & vm.Context } | undefined;

/**
 * Run `fn` on this thread for at most `ms` milliseconds (an integer ≥ 1). Returns its result, or
 * TIMED_OUT when it was stopped — or when the watch ran out late, after `fn` returned (the
 * watchdog thread kept off a CPU past `ms`: node reports that as a stop too, and the result is
 * lost); an exception it throws propagates unchanged. Not reentrant:
 * `fn` must not call `watched` (the inner watch would stop the outer one's work).
 */
export function watched<T>(fn: () => T, ms: number): T | typeof TIMED_OUT {
  runner ??= { script: new vm.Script('out = fn()', { filename: 'dmabuf-harness:watchdog' }), slot: vm.createContext({ fn: null, out: undefined } as Slot) as Slot & vm.Context };
  const { script, slot } = runner;
  slot.fn = fn;
  try {
    script.runInContext(slot, { timeout: Math.max(1, Math.ceil(ms)) });
    return slot.out as T;
  } catch (err) {
    if (isTimeout(err)) return TIMED_OUT;
    throw err;
  } finally {
    slot.fn = null;
    slot.out = undefined;
  }
}

/** Node's timeout error (by code: it may come from another realm than this module's Error). */
function isTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}
