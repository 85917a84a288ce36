/**
 * schedule_timeout's time arithmetic for the timed waits (dma_fence_wait_timeout,
 * dma_fence_wait_any_timeout) and the sleeps (msleep, usleep_range, dma_buf_poll_wait): the
 * deadline a wait of `timeout` jiffies sleeps until, and the jiffies left that schedule_timeout
 * returns when the task runs again. Pure: no sleep, any context.
 */
import type { Task } from './task.js';
import { MAX_SCHEDULE_TIMEOUT } from './types.js';

/** The deadline of a wait of `timeout` > 0 jiffies begun now, for block()'s record: 0 (none) for
 *  MAX_SCHEDULE_TIMEOUT, else sleep_deadline's. */
export function timeout_deadline(t: Task, timeout: number): number {
  return timeout === MAX_SCHEDULE_TIMEOUT ? 0 : sleep_deadline(t, timeout);
}

/** The deadline of a sleep of `jiffies` >= 0 that always ends (msleep, usleep_range, a poll's
 *  timeout): now + jiffies capped below MAX_SCHEDULE_TIMEOUT, so it fits the wait record's 32-bit
 *  word (uncapped it would wrap negative: the scheduler would see the earliest deadline while the
 *  sleep's own check never passes). */
export function sleep_deadline(t: Task, jiffies: number): number {
  return Math.min(t.now() + jiffies, MAX_SCHEDULE_TIMEOUT - 1);
}

/** What schedule_timeout returns to a wait of `timeout` with `deadline` (timeout_deadline's)
 *  running again now: the jiffies left, 0 at or past the deadline; MAX_SCHEDULE_TIMEOUT stays. */
export function timeout_left(t: Task, deadline: number, timeout: number): number {
  return deadline === 0 ? timeout : Math.max(0, deadline - t.now());
}
