/**
 * The stress watchdog's clock: wall time minus the time the runnable actor threads all waited for
 * a CPU, read from an injected schedstat reader at fake 25 ms polls (no sleeps, no real load).
 * A starved actor that would progress is not a stall; a thread that runs without yielding, or is
 * asleep for good, still is, and a thread starved without end is reported at the wall-time cap.
 */
import { describe, expect, it } from 'vitest';
import { STARVED_LIMIT_FACTOR, StarvationDiscount, Stopwatch, type WaitReader } from '../../../src/exec/stall_clock.js';

const POLL = 25;
const LIMIT = 1000;
const TID = 4242;

/** A thread whose schedstat wait grows by `waitPerPoll` ms every poll (undefined: not reported). */
function thread(waitPerPoll: number | undefined): { read: WaitReader; tick: () => void } {
  let waitNs = 0;
  return {
    read: (tid) => (tid === TID && waitPerPoll !== undefined ? waitNs : undefined),
    tick: () => { waitNs += (waitPerPoll ?? 0) * 1e6; },
  };
}

/**
 * Poll every POLL ms with `runnable` as the runnable threads until the stopwatch expires at LIMIT
 * or `maxPolls` pass. Returns the wall time at expiry (ms), or null when it did not expire.
 */
function pollUntilExpired(t: { read: WaitReader; tick: () => void }, runnable: readonly number[], maxPolls: number): number | null {
  const d = new StarvationDiscount(t.read);
  const quiet = new Stopwatch();
  d.interval(0, runnable); // the reading at the poll that last saw progress
  for (let i = 1; i <= maxPolls; i++) {
    t.tick();
    quiet.add(POLL, d.interval(POLL, runnable));
    if (quiet.expired(LIMIT)) return i * POLL;
  }
  return null;
}

describe('StarvationDiscount', () => {
  it('counts an interval in full when no actor thread is runnable (all blocked: a deadlock)', () => {
    expect(new StarvationDiscount(() => 0).interval(POLL, [])).toBe(POLL);
  });

  it('counts a thread\'s first interval in full: it has no earlier reading', () => {
    expect(new StarvationDiscount(() => 20e6).interval(POLL, [TID])).toBe(POLL);
  });

  it('does not count the time the runnable thread waited for a CPU', () => {
    const t = thread(20);
    const d = new StarvationDiscount(t.read);
    d.interval(0, [TID]);
    t.tick();
    expect(d.interval(POLL, [TID])).toBe(5);
  });

  it('counts the time any runnable thread was not waiting: the least wait of all', () => {
    const waits = new Map([[1, 0], [2, 0]]);
    const d = new StarvationDiscount((tid) => waits.get(tid));
    d.interval(0, [1, 2]);
    waits.set(1, 24e6).set(2, 10e6);
    expect(d.interval(POLL, [1, 2])).toBe(15);
  });

  it.each([
    ['not reported (no schedstat)', thread(undefined).read, TID],
    ['unknown thread id', thread(20).read, -1],
  ] as const)('counts in full a thread whose wait is %s: the wall-clock rule', (_label, read, tid) => {
    const d = new StarvationDiscount(read);
    d.interval(0, [tid]);
    expect(d.interval(POLL, [tid])).toBe(POLL);
  });

  it('counts the next interval in full after forget', () => {
    const t = thread(20);
    const d = new StarvationDiscount(t.read);
    d.interval(0, [TID]);
    d.forget();
    t.tick();
    expect(d.interval(POLL, [TID])).toBe(POLL);
  });

  it('never counts more than the interval, nor less than nothing', () => {
    const waits = [0, 90e6, 10e6];
    let i = 0;
    const d = new StarvationDiscount(() => waits[i]);
    d.interval(0, [TID]);
    i = 1;
    expect(d.interval(POLL, [TID])).toBe(0);
    i = 2;
    expect(d.interval(POLL, [TID])).toBe(POLL);
  });
});

describe('a no-progress limit counted with StarvationDiscount', () => {
  it('is not reached by an actor that computes 300 ms of CPU while starved to a tenth of a CPU (3 s of wall time)', () => {
    const polls = 3000 / POLL;
    expect(pollUntilExpired(thread(POLL * 0.9), [TID], polls)).toBeNull();
    expect(pollUntilExpired(thread(undefined), [TID], polls), 'the wall-clock rule would call it a stall').toBe(LIMIT);
  });

  it.each([
    ['on a CPU of its own', 0, LIMIT],
    ['with a tenth of a CPU', POLL * 0.9, LIMIT * 10],
  ])('is reached by a thread running without yielding %s, once it has had the limit', (_label, waitPerPoll, at) => {
    expect(pollUntilExpired(thread(waitPerPoll), [TID], 10_000)).toBe(at);
  });

  it('is reached in the limit\'s wall time by a thread asleep for good (not waiting for a CPU)', () => {
    expect(pollUntilExpired(thread(0), [TID], 10_000)).toBe(LIMIT);
  });

  it('is reached at the wall-time cap by a thread that never gets a CPU', () => {
    expect(pollUntilExpired(thread(POLL), [TID], 10_000)).toBe(LIMIT * STARVED_LIMIT_FACTOR);
  });
});
