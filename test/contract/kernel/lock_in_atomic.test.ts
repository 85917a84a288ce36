// A sleeping lock taken under a spinlock (lockdep's check_wait_context, mutex_lock_common.ts
// lockCommon): the lock call's might_sleep (SLEEP_IN_ATOMIC) and then "BUG: Invalid wait context"
// (INVALID_WAIT_CONTEXT), both titled after the lock call — also for a plain mutex with no lockdep
// class of its own under the untracked fence lock (a fence callback), and after
// ww_mutex_lock_slow's own "no -EDEADLK first" warning, which the kernel makes before its
// ww_mutex_lock (whose debug_locks_off would then silence lockdep's report in the kernel; the
// model keeps lockdep's reports beside a ww one: lockdep.ts). A trylock is neither. The lock is
// taken in every case.
import { describe, expect, it } from 'vitest';
import { EXECUTORS } from '../../support/both.js';
import { LIA, lockInAtomic } from '../../fixtures/lockdep/lock_in_atomic.js';
import { at, pick, run } from '../../fixtures/fence/oracle.js';

const title = (fn: string, cond: string): string => `assertion in ${fn} (${cond})`;
const SLEEP = 'sleeping function called from invalid context';
const WAIT = 'Invalid wait context';

const EXPECTED = {
  slow: [
    ['WW_SLOW_NO_EDEADLK', 'assertion in ww_mutex_lock_slow'],
    ['SLEEP_IN_ATOMIC', title('ww_mutex_lock_slow', SLEEP)],
    ['INVALID_WAIT_CONTEXT', title('ww_mutex_lock_slow', WAIT)],
  ],
  callback: [['SLEEP_IN_ATOMIC', title('mutex_lock', SLEEP)], ['INVALID_WAIT_CONTEXT', title('mutex_lock', WAIT)]],
  trylock: [],
} as const;

describe.each(EXECUTORS)('sleeping locks in atomic context (%s)', (kind) => {
  it.each(['slow', 'callback', 'trylock'] as const)('%s: reports the kernel\'s warnings in its order and takes the lock', async (how) => {
    for (const r of await run(kind, lockInAtomic, { how }, 10)) {
      expect(r.end, at(r)).toBe('done');
      expect(r.findings.map((f) => [f.code, f.title]), at(r)).toEqual(EXPECTED[how]);
      expect(pick(r, { got: LIA.GOT }), at(r)).toEqual({ got: 1 });
    }
  });
});
