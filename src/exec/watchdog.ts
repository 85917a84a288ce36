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

/** How watched work finished, as the watch's script records it: it returned `out`, threw `err`,
 *  or did neither (the watch stopped it: termination runs no `catch`). */
export type Finish =
  | { readonly how: 'returned'; readonly out: unknown }
  | { readonly how: 'threw'; readonly err: unknown }
  | { readonly how: 'stopped' };

interface Slot { fn: (() => unknown) | null; end: Finish }

/** Records how `fn` finished in `end`, so a stop node reports late does not hide it. */
const SCRIPT = 'end = { how: "stopped" }; try { end = { how: "returned", out: fn() }; }'
  + ' catch (err) { end = { how: "threw", err }; }';

let runner: { readonly script: vm.Script; readonly slot: Slot & vm.Context } | undefined;

/**
 * Run `fn` on this thread for at most `ms` milliseconds (an integer ≥ 1). Returns its result, or
 * TIMED_OUT when it was stopped; an exception it throws propagates unchanged. A watch that ran
 * out late, after `fn` returned or threw (the watchdog thread kept off a CPU past `ms`), is a
 * stop node reports anyway: `fn`'s own end stands (finishOf), its result or exception. Not
 * reentrant: `fn` must not call `watched` (the inner watch would stop the outer one's work).
 */
export function watched<T>(fn: () => T, ms: number): T | typeof TIMED_OUT {
  runner ??= {
    script: new vm.Script(SCRIPT, { filename: 'dmabuf-harness:watchdog' }),
    slot: vm.createContext({ fn: null, end: { how: 'stopped' } } as Slot) as Slot & vm.Context,
  };
  const { script, slot } = runner;
  slot.fn = fn;
  try {
    script.runInContext(slot, { timeout: Math.max(1, Math.ceil(ms)) });
  } catch (err) {
    if (!isTimeout(err)) throw err;
  } finally {
    slot.fn = null;
  }
  const end = slot.end;
  slot.end = { how: 'stopped' };
  return finishOf<T>(end);
}

/** @internal What a watch returns for work that finished as `end`, whether or not node
 *  reported a stop: its result, TIMED_OUT when stopped; throws what it threw. Exported for the
 *  tests' stand-in watches (a stop reported late). */
export function finishOf<T>(end: Finish): T | typeof TIMED_OUT {
  if (end.how === 'threw') throw end.err;
  return end.how === 'returned' ? (end.out as T) : TIMED_OUT;
}

/** Node's timeout error (by code: it may come from another realm than this module's Error). */
function isTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}
