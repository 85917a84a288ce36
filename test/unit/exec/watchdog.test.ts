/** `watched`: synchronous work in this thread bounded in time, its result and errors unchanged. */
import { describe, expect, it } from 'vitest';
import { TIMED_OUT, watched } from '../../../src/exec/watchdog.js';

describe('watched', () => {
  it('returns what the function returns', () => {
    expect(watched(() => 6 * 7, 1000)).toBe(42);
  });

  it('passes an exception the function throws through unchanged', () => {
    const err = new RangeError('planted');
    expect(() => watched(() => { throw err; }, 1000)).toThrow(err);
  });

  it('stops a function that never returns, within a bounded time, and says so', () => {
    const t0 = performance.now();
    let spins = 0;
    expect(watched(() => { for (;;) spins++; }, 50)).toBe(TIMED_OUT);
    expect(spins).toBeGreaterThan(0);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('leaves this thread usable after stopping a generator mid-step (the generator is dead)', () => {
    function* spinner(): Generator<number> { yield 1; for (;;) { /* never yields again */ } }
    const g = spinner();
    g.next();
    expect(watched(() => g.next(), 50)).toBe(TIMED_OUT);
    expect(() => g.next()).toThrow(TypeError);
    expect(watched(() => 'again', 1000)).toBe('again');
  });
});
