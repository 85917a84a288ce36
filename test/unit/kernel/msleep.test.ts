// msleep (kernel-semantics: schedule_timeout_uninterruptible): the sleep ends at now + jiffies,
// a deadline capped below MAX_SCHEDULE_TIMEOUT (schedule_timeout.ts sleep_deadline) so a long
// sleep begun late fits the wait record's 32-bit word instead of wrapping negative.
import { describe, expect, it } from 'vitest';
import { MAX_SCHEDULE_TIMEOUT, msleep, type Task } from '../../fixtures/kernel.js';
import { codes, runOnce } from '../../fixtures/lockdep/run_once.js';
import { scripted } from '../../fixtures/lockdep/scripted.js';

describe('msleep', () => {
  it('of nearly MAX_SCHEDULE_TIMEOUT jiffies begun late ends at the capped deadline', () => {
    const woke: number[] = [];
    const s = scripted('msleep-long', (_t: Task) => ({}));
    const { r } = runOnce(s, function* (t) {
      yield* msleep(t, 10);
      yield* msleep(t, MAX_SCHEDULE_TIMEOUT - 1);
      woke.push(t.now());
    });
    expect(r.end).toBe('done');
    expect(codes(r)).toEqual([]);
    expect(woke).toEqual([MAX_SCHEDULE_TIMEOUT - 1]);
  });
});
