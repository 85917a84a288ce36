/**
 * What the command line takes from its process: the output streams (and whether stderr is a
 * terminal, for the progress bar and the stress status line), the interrupt (SIGINT) and the
 * immediate exit of a second Ctrl-C. `main` (program.ts) and every command reach these only
 * through a CliIo, so the whole command line runs in one thread against other streams (the tests'
 * in-process runner) as it does in the bin entry against the process's own (processIo).
 */

/** An output stream: what the commands, commander and cli-progress call on one. */
export interface CliStream {
  write(text: string): unknown;
  /** A terminal: the progress bar and the status line are drawn only there. */
  readonly isTTY?: boolean;
  /** Its width in columns, when a terminal. */
  readonly columns?: number;
}

export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /**
   * Call `listener` on every interrupt (SIGINT) from now on; returns the function that stops it.
   * A command stops every listener it added before it returns, thrown or not.
   */
  onInterrupt(listener: () => void): () => void;
  /** End the process now with `code`: a second Ctrl-C does not wait for the campaign to stop. */
  exit(code: number): never;
}

/** The process's own: its stdout and stderr, SIGINT, process.exit. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    onInterrupt(listener) {
      process.on('SIGINT', listener);
      return () => { process.off('SIGINT', listener); };
    },
    exit: (code) => process.exit(code),
  };
}

/** The exit status of a process whose output pipe lost its reader: 128 + SIGPIPE, as a shell shows
 *  a C tool's. */
export const CLOSED_PIPE_EXIT = 141;

/**
 * End the process with CLOSED_PIPE_EXIT, writing nothing more, when `stream`'s reader goes away
 * (EPIPE: `dmabuf-harness list | head`); any other error of the stream is thrown on. Node ignores
 * SIGPIPE, so without this the failed write's error event is unhandled and prints a stack trace.
 * Artifacts are renamed into place only when whole (artifacts.ts), so the exit leaves none
 * half-written (a temporary file beside one may remain).
 */
export function exitOnClosedPipe(stream: NodeJS.EventEmitter, exit: (code: number) => never): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') exit(CLOSED_PIPE_EXIT);
    throw e;
  });
}

/** The interrupt of a long run: `signal` aborts at the first interrupt. */
export interface RunInterrupt {
  readonly signal: AbortSignal;
  /** Stop listening; call it once the run is over, thrown or not. */
  stop(): void;
}

/**
 * Listen for the interrupt of a campaign: the first aborts `signal` (the campaign stops and still
 * writes what it found; the command exits 130), a second ends the process at once with 130.
 */
export function runInterrupt(io: CliIo): RunInterrupt {
  const ac = new AbortController();
  const stop = io.onInterrupt(() => { if (ac.signal.aborted) io.exit(130); ac.abort(); });
  return { signal: ac.signal, stop };
}
