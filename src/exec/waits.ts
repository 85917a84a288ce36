/**
 * The main thread's bounded waits on actor threads: a promise with a time limit, and a promise
 * watched by polling (the stress watchdog). Neither blocks the event loop.
 */

/** `p`'s value, or `fallback` when it takes longer than `ms`. Clears its timer either way. */
export function withinMs<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => { timer = setTimeout(() => resolve(fallback), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A promise watched by polling: `tick(ms)` returns after `ms`, or as soon as the promise settles,
 * whether it has settled. A watch adds one reaction to the promise however many ticks it waits,
 * where a race per tick would pile one up per tick until the promise settles. The promise must
 * not reject.
 */
export class PollWatch<T> {
  private done = false;
  private wake: (() => void) | undefined;

  constructor(p: Promise<T>) {
    void p.then(() => { this.done = true; this.wake?.(); });
  }

  async tick(ms: number): Promise<boolean> {
    if (this.done) return true;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => { this.wake = resolve; timer = setTimeout(resolve, ms); });
    clearTimeout(timer);
    this.wake = undefined;
    return this.done;
  }
}
