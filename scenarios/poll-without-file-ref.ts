/**
 * S14 (buggy, before ff2d23843f7f "dma-buf/poll: Get a file reference for outstanding fence
 * callbacks"): an armed poll callback holds no file reference, so the fds are closed with the
 * callback still armed and the release BUGs. Expected: assertion
 * (`assertion in dma_buf_release (dmabuf->cb_in.active || dmabuf->cb_out.active)`).
 */
import { pollScenario } from './lib/poll.js';

export const pollWithoutFileRef = pollScenario('poll-without-file-ref', import.meta.url, false);
