/**
 * poll(2) on one dma-buf fd (fs/select.c do_poll, one entry): call the file's poll op
 * (dma_buf_poll) and, while nothing is ready, sleep on its waitqueue until the poll callback wakes
 * it or the timeout passes, then poll again. The sleep is always bounded: poll() with an infinite
 * timeout is not modelled, so no harness wait on it is unbounded.
 *
 * The waitqueue is the dma-buf's DB_POLL_WAKE doorbell: read before each poll (poll_wait adds the
 * sleeper to the queue before the op looks at the fences), so a callback running between the poll
 * and the sleep is never lost.
 */
import { EINVAL } from '../errno/errno.js';
import { DB_POLL_WAKE } from '../shm/layout.js';
import { dma_buf_poll } from './dma_buf_poll.js';
import type { DmaBuf } from './dma_buf.js';
import { might_sleep } from './might_sleep.js';
import { sleep_deadline } from './schedule_timeout.js';
import type { Task } from './task.js';
import type { KGen } from './types.js';
import { sleep_on_word } from './wait.js';
import { WS_PRIMITIVE } from './wait_site.js';

/**
 * poll({fd of `db`, `events`}, 1, timeout): the ready events (dma_buf_poll's answer: EPOLLIN /
 * EPOLLOUT, or EPOLLERR for a buffer already freed), 0 when `timeout` jiffies passed with none
 * ready, -EINVAL for a negative timeout. Timeout 0 polls once without sleeping; the deadline is
 * capped below MAX_SCHEDULE_TIMEOUT (schedule_timeout.ts sleep_deadline). Context: process
 * context, the caller holding a file reference on `db`; may sleep (might_sleep).
 */
export function* dma_buf_poll_wait(t: Task, db: DmaBuf, events: number, timeout: number): KGen<number> {
  if (timeout < 0) return -EINVAL;
  might_sleep(t, 'dma_buf_poll_wait', db);
  const doorbell = t.arena.dmabuf(db) + DB_POLL_WAKE;
  const deadline = sleep_deadline(t, timeout);
  for (;;) {
    const seen = Atomics.load(t.i32, doorbell);
    const ready = yield* dma_buf_poll(t, db, events);
    if (ready !== 0 || t.now() >= deadline) return ready;
    yield* sleep_on_word(t, doorbell, seen, WS_PRIMITIVE, deadline);
  }
}
