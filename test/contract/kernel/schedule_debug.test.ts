// A call that schedules while the task holds a spinlock: cond_resched announces it with
// might_sleep ("sleeping function called from invalid context", titled after cond_resched);
// msleep and usleep_range do not in the kernel and reach schedule_debug, "BUG: scheduling while
// atomic" (SCHEDULE_WHILE_ATOMIC) titled after the call — usleep_range's own WARN_ON_ONCE(max <
// min) first. The call still returns.
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import { SUS, sleepUnderSpin } from '../../fixtures/lockdep/sleep_under_spin.js';
import { at, pick, run } from '../../fixtures/fence/oracle.js';

const EXPECTED = {
  cond_resched: [['SLEEP_IN_ATOMIC', 'assertion in cond_resched (sleeping function called from invalid context)']],
  msleep: [['SCHEDULE_WHILE_ATOMIC', 'assertion in msleep (scheduling while atomic)']],
  usleep_inverted: [
    ['USLEEP_RANGE_INVERTED', 'assertion in usleep_range_state'],
    ['SCHEDULE_WHILE_ATOMIC', 'assertion in usleep_range (scheduling while atomic)'],
  ],
} as const;

describe.each(EXECUTORS)('scheduling under a spinlock (%s)', (kind) => {
  it.each(['cond_resched', 'msleep', 'usleep_inverted'] as const)('%s: reports what the kernel reports, in its order', async (how) => {
    for (const r of await run(kind, sleepUnderSpin, { how }, 10)) {
      expect(r.end, at(r)).toBe('done');
      expect(r.findings.map((f) => [f.code, f.title]), at(r)).toEqual(EXPECTED[how]);
      expect(pick(r, { done: SUS.DONE }), at(r)).toEqual({ done: 1 });
    }
  });

  it.each(['cond_resched', 'msleep', 'usleep_inverted'] as const)('%s after the spinlock is released: nothing but the call\'s own checks', async (how) => {
    const own = how === 'usleep_inverted' ? [EXPECTED.usleep_inverted[0]] : [];
    for (const r of await run(kind, sleepUnderSpin, { how, outside: true }, 10)) {
      expect(r.end, at(r)).toBe('done');
      expect(r.findings.map((f) => [f.code, f.title]), at(r)).toEqual(own);
      expect(pick(r, { done: SUS.DONE }), at(r)).toEqual({ done: 1 });
    }
  });
});
