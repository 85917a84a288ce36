/**
 * S14 fixed twin: each armed poll callback holds a file reference, dropped by the callback (its
 * fput may be the last, releasing the buffer from the signalling task's task work). Expected: clean.
 */
import { pollScenario } from './lib/poll.js';

export const pollFileRef = pollScenario('poll-file-ref', import.meta.url, true);
