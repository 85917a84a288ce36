/**
 * The watchdog's waits: `withinMs` gives the fallback after its time, and a `PollWatch` tick
 * returns as soon as the watched promise settles (not after its full period) and says so, and
 * keeps saying so after.
 */
import { describe, expect, it } from 'vitest';
import { PollWatch, withinMs } from '../../../src/exec/waits.js';

describe('withinMs', () => {
  it('gives the value when it comes first, the fallback otherwise', async () => {
    expect(await withinMs(Promise.resolve(1), 10_000, 0)).toBe(1);
    expect(await withinMs(new Promise<number>(() => undefined), 1, 0)).toBe(0);
  });
});

describe('PollWatch', () => {
  it('ticks out unsettled, then returns early once the promise settles during a tick', async () => {
    let settle!: () => void;
    const watch = new PollWatch(new Promise<void>((r) => { settle = r; }));
    expect(await watch.tick(1)).toBe(false);
    const t0 = performance.now();
    const tick = watch.tick(60_000);
    settle();
    expect(await tick).toBe(true);
    expect(performance.now() - t0).toBeLessThan(30_000);
    expect(await watch.tick(60_000)).toBe(true);
  });
});
