/**
 * The harness's error table (Node-core style): every error that crosses the library or CLI edge
 * carries a stable `code`; messages are one line naming what is wrong. Model code never throws
 * these — it returns `-errno` — they exist only at the edges (executors, runners, CLI).
 */
export const ErrorCodes = {
  ERR_ARENA_VERSION: 'arena header has another magic or layout version',
  ERR_ARENA_GEOMETRY: 'a table in the arena is full',
  ERR_ARENA_BUSY: 'an arena was reset while a trial runs on it, or from a thread its actors do not run in',
  ERR_LAYOUT: 'words of the arena layout overlap or outgrow their room (a build defect in layout.ts or warn.ts)',
  ERR_BAD_OPTION: 'an option has a value outside its range',
  ERR_CLOSED: 'an executor was used after close()',
  ERR_OUTPUT: 'an artifact directory or file cannot be written',
  ERR_REPLAY_FILE: 'a replay file is malformed or from another harness version, arena layout or scenario revision',
  ERR_REPLAY_DIVERGED: 'a replayed schedule no longer matches what the actors do',
  ERR_SCENARIO: 'a scenario definition is malformed',
  ERR_WORKER: 'an actor worker thread failed outside the model',
  ERR_FENCE_OPS: 'a fence has a container kind or driver ops id with no ops registered in this thread (a build defect)',
  ERR_MODEL: 'the model broke an invariant of its own, such as a task releasing a spinlock while it holds none (a build defect)',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class HarnessError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'HarnessError';
    this.code = code;
  }
}

/**
 * One copy of the harness per thread. A scenario's code shares the running harness's registries
 * (ops tables, call-site names, module tables) and error classes; a second copy — a user file
 * importing another install of the harness by path — would have its own, and fail silently (ops
 * not found, findings mistitled, a refusal taken for a crash). The first copy of this module to
 * load in a thread records its URL; another copy refuses to load (ERR_SCENARIO).
 */
const COPY_KEY = Symbol.for('dmabuf-harness.copy');
const running = ((globalThis as Record<symbol, unknown>)[COPY_KEY] ??= import.meta.url) as string;
if (running !== import.meta.url) {
  throw new HarnessError('ERR_SCENARIO', `a second copy of the harness loaded (${import.meta.url}) beside the one running (${running}): import the harness as 'dmabuf-harness', or from the running harness's files`);
}
