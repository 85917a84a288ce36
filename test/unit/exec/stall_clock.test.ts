/**
 * The stress watchdog's clock: wall time minus the time the runnable actor threads all waited for
 * a CPU, read from an injected schedstat reader at fake 25 ms polls (no sleeps, no real load).
 * A starved actor that would progress is not a stall; a thread that runs without yielding, or is
 * asleep for good, still is, and a thread starved without end is reported at the wall-time cap.
 */
import { describe, expect, it } from 'vitest';
import { STARVED_LIMIT_FACTOR, StarvationDiscount, Stopwatch, type QueueReader, type WaitReader } from '../../../src/exec/stall_clock.js';

const POLL = 25;
const LIMIT = 1000;
const TID = 4242;

interface Thread { read: WaitReader; queue?: QueueReader; tick: () => void }

/** A thread whose schedstat wait grows by `waitPerPoll` ms every poll (undefined: not reported). */
function thread(waitPerPoll: number | undefined): Thread {
  let waitNs = 0;
  return {
    read: (tid) => (tid === TID && waitPerPoll !== undefined ? waitNs : undefined),
    tick: () => { waitNs += (waitPerPoll ?? 0) * 1e6; },
  };
}

/**
 * A thread that from its first poll on is `queued` (on a run queue) or asleep, and on a CPU or
 * not (`running`); a wait for a CPU shows in its schedstat only after `reportAt` polls (when it
 * ends), whole: what Linux reports of a thread kept off the CPUs for that long in one wait.
 */
function oneWait(queued: boolean, running: boolean, reportAt = Infinity): Thread {
  let polls = 0;
  return {
    read: (tid) => (tid !== TID ? undefined : polls >= reportAt ? reportAt * POLL * 1e6 : 0),
    queue: (tid) => (tid !== TID ? undefined : { runNs: running || polls >= reportAt ? polls * 1e6 : 0, queued }),
    tick: () => { polls++; },
  };
}

/**
 * A thread that gets a CPU for `runMs` after each `waitMs` it waits for one, its waits reported as
 * Linux reports them: each one whole when it ends (when the thread is put on a CPU).
 */
function cycling(runMs: number, waitMs: number): Thread {
  let now = 0;
  const ended = (): number => (now < waitMs ? 0 : Math.floor((now - waitMs) / (runMs + waitMs)) + 1);
  return {
    read: (tid) => (tid === TID ? ended() * waitMs * 1e6 : undefined),
    tick: () => { now += POLL; },
  };
}

/**
 * Poll every POLL ms with `runnable` as the runnable threads until the stopwatch expires at LIMIT
 * or `maxPolls` pass. Returns the wall time at expiry (ms), or null when it did not expire.
 */
function pollUntilExpired(t: Thread, runnable: readonly number[], maxPolls: number): number | null {
  const d = new StarvationDiscount(t.read, t.queue ?? (() => undefined));
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
  it('takes nothing off an interval when no actor thread is runnable (all blocked: a deadlock)', () => {
    expect(new StarvationDiscount(() => 0, () => undefined).interval(POLL, [])).toBe(0);
  });

  it('takes a thread\'s first interval off whole: its wait there is not known', () => {
    expect(new StarvationDiscount(() => 20e6, () => undefined).interval(POLL, [TID])).toBe(POLL);
  });

  it('takes off the time the runnable thread waited for a CPU', () => {
    const t = thread(20);
    const d = new StarvationDiscount(t.read, () => undefined);
    d.interval(0, [TID]);
    t.tick();
    expect(d.interval(POLL, [TID])).toBe(20);
  });

  it('takes off the least wait of all runnable threads: the time none of them could run', () => {
    const waits = new Map([[1, 0], [2, 0]]);
    const d = new StarvationDiscount((tid) => waits.get(tid), () => undefined);
    d.interval(0, [1, 2]);
    waits.set(1, 24e6).set(2, 10e6);
    expect(d.interval(POLL, [1, 2])).toBe(10);
  });

  it('keeps a thread\'s reported wait until every runnable thread has reported as much', () => {
    const waits = new Map([[1, 0], [2, 0]]);
    const d = new StarvationDiscount((tid) => waits.get(tid), () => undefined);
    d.interval(0, [1, 2]);
    waits.set(1, 40e6);
    expect(d.interval(POLL, [1, 2])).toBe(0);
    waits.set(2, 50e6);
    expect(d.interval(POLL, [1, 2])).toBe(40);
  });

  it.each([
    ['not reported (no schedstat)', thread(undefined).read, TID],
    ['unknown thread id', thread(20).read, -1],
  ] as const)('takes nothing off for a thread whose wait is %s: the wall-clock rule', (_label, read, tid) => {
    const d = new StarvationDiscount(read, () => undefined);
    d.interval(0, [tid]);
    expect(d.interval(POLL, [tid])).toBe(0);
  });

  it('takes the next interval off whole after forget, and the thread\'s waits from then on', () => {
    const t = thread(20);
    const d = new StarvationDiscount(t.read, () => undefined);
    d.interval(0, [TID]);
    d.forget();
    t.tick();
    expect(d.interval(POLL, [TID])).toBe(POLL);
    t.tick();
    expect(d.interval(POLL, [TID])).toBe(20);
  });

  it('takes off a wait reported late whole, beyond its interval, and nothing for a reading that went back', () => {
    const waits = [0, 90e6, 10e6];
    let i = 0;
    const d = new StarvationDiscount(() => waits[i], () => undefined);
    d.interval(0, [TID]);
    i = 1;
    expect(d.interval(POLL, [TID])).toBe(90);
    i = 2;
    expect(d.interval(POLL, [TID])).toBe(0);
  });
});

describe('StarvationDiscount on a wait still going on', () => {
  it('takes off an interval the thread spent on a run queue without running, and not again when the wait is reported', () => {
    const t = oneWait(true, false, 3);
    const d = new StarvationDiscount(t.read, t.queue);
    d.interval(0, [TID]);
    const taken = [1, 2, 3, 4].map(() => { t.tick(); return d.interval(POLL, [TID]); });
    expect(taken, 'three intervals waited, then one on a CPU').toEqual([POLL, POLL, POLL, 0]);
  });

  it.each([
    ['on a CPU (its CPU time moves)', true, true],
    ['asleep outside the model (not on a run queue)', false, false],
  ])('takes nothing off for a thread %s that reports no wait', (_label, queued, running) => {
    const t = oneWait(queued, running);
    const d = new StarvationDiscount(t.read, t.queue);
    d.interval(0, [TID]);
    t.tick();
    expect(d.interval(POLL, [TID])).toBe(0);
  });
});

describe('Stopwatch', () => {
  it('takes a late wait off the time counted so far, never below nothing', () => {
    const w = new Stopwatch();
    w.add(POLL, 0);
    w.add(POLL, 0);
    w.add(POLL, 3 * POLL - 5);
    expect([w.wallMs, w.countedMs]).toEqual([3 * POLL, 5]);
    w.add(POLL, 10 * POLL);
    expect([w.wallMs, w.countedMs]).toEqual([4 * POLL, 0]);
  });
});

describe('a no-progress limit counted with StarvationDiscount', () => {
  it.each([
    ['every poll', () => thread(POLL * 0.9)],
    ['as each wait ends (10 ms on a CPU after 90 ms waiting)', () => cycling(10, 90)],
  ])('is not reached by an actor that computes 300 ms of CPU while starved to a tenth of a CPU (3 s of wall time), its waits reported %s', (_label, starved) => {
    const polls = 3000 / POLL;
    expect(pollUntilExpired(starved(), [TID], polls)).toBeNull();
    expect(pollUntilExpired(thread(undefined), [TID], polls), 'the wall-clock rule would call it a stall').toBe(LIMIT);
  });

  // `early`: the wall time of a wait in progress, counted until it ends and is reported (the
  // cycling thread: a 90 ms wait per 10 ms on a CPU is up to 900 ms of wall time at a tenth of a CPU).
  it.each([
    ['on a CPU of its own', () => thread(0), LIMIT, 0],
    ['with a tenth of a CPU', () => thread(POLL * 0.9), LIMIT * 10, 0],
    ['with a tenth of a CPU, its waits reported as each ends', () => cycling(10, 90), LIMIT * 10, 900],
  ])('is reached by a thread running without yielding %s, once it has had the limit', (_label, running, at, early) => {
    const expiry = pollUntilExpired(running(), [TID], 10_000);
    expect(expiry).toBeGreaterThanOrEqual(at - early);
    expect(expiry).toBeLessThanOrEqual(at);
  });

  it('is reached in the limit\'s wall time by a thread asleep for good (not waiting for a CPU)', () => {
    expect(pollUntilExpired(thread(0), [TID], 10_000)).toBe(LIMIT);
    expect(pollUntilExpired(oneWait(false, false), [TID], 10_000), 'asleep, off the run queues').toBe(LIMIT);
  });

  it('is reached by a thread kept off the CPUs for longer than the limit in one wait (reported when it ends) only once it then had the limit on a CPU', () => {
    expect(pollUntilExpired(oneWait(true, false, 1600 / POLL), [TID], 10_000)).toBe(1600 + LIMIT);
  });

  it('is reached in the limit\'s wall time by a thread on a CPU that reports no wait', () => {
    expect(pollUntilExpired(oneWait(true, true), [TID], 10_000)).toBe(LIMIT);
  });

  it('is reached at the wall-time cap by a thread that never gets a CPU', () => {
    expect(pollUntilExpired(thread(POLL), [TID], 10_000)).toBe(LIMIT * STARVED_LIMIT_FACTOR);
    expect(pollUntilExpired(oneWait(true, false), [TID], 10_000), 'its wait never reported').toBe(LIMIT * STARVED_LIMIT_FACTOR);
  });
});
