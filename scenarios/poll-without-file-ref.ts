/**
 * S14 (buggy, before 6b51b02a3a0a "dma-buf: fix and rework dma_buf_poll v7"): an armed poll
 * callback holds no file reference, so the fds are closed and the buffer freed before the fence
 * signals, and the callback's wake-up touches the freed dma-buf. Expected: use-after-free
 * (`use-after-free in dma_buf_poll_cb`).
 */
import { pollScenario } from './lib/poll.js';

export const pollWithoutFileRef = pollScenario('poll-without-file-ref', import.meta.url, false);
