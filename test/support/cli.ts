/**
 * Running the built command line (`dist/src/cli/main.js`) as a child process, or its `main` in
 * this process, and temp dirs that are removed after each test.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';

/** The repository root: this file runs as dist/test/support/cli.js. */
export const ROOT_URL = new URL('../../../', import.meta.url);
export const ROOT = fileURLToPath(ROOT_URL);
export const CLI = join(ROOT, 'dist/src/cli/main.js');

export interface CliRun { readonly code: number | null; readonly stdout: string; readonly stderr: string }

/** Longest one CLI run may take before it is killed (ms; its result then has code null). A run
 *  that takes seconds on a quiet machine takes 30–70 s under a load of 20 on 2 cores (process
 *  start, a TypeScript scenario compiled in each thread). */
export const CLI_RUN_MS = 120_000;

/** The time limit of a test that makes `runs` CLI runs: theirs added up. Vitest fails a
 *  synchronous test that outlasts its limit, even one that passed. */
export const cliRuns = (runs: number): number => runs * CLI_RUN_MS;

/** Run the CLI with `args` from the repository root. */
export function cli(...args: string[]): CliRun {
  return cliIn(ROOT, ...args);
}

/** Run the CLI with `args` from directory `cwd` (where default output directories land). */
export function cliIn(cwd: string, ...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: CLI_RUN_MS });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Output written to a string; a terminal of `columns` columns when `isTTY`. */
class Captured {
  text = '';
  constructor(readonly isTTY = false, readonly columns?: number) {}
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

/** A CliIo over strings, for running `main` in this process. */
export interface MemoryIo {
  readonly io: CliIo;
  readonly stdout: Captured;
  readonly stderr: Captured;
  /** The interrupt listeners added and not yet stopped. */
  readonly listeners: ReadonlySet<() => void>;
  /** The codes io.exit was called with (each call also throws). */
  readonly exits: number[];
}

export interface MemoryIoOptions {
  /** stderr is a terminal of 100 columns (stdout never is). */
  readonly tty?: boolean;
  /** Interrupt this many times as soon as a listener is added (a handshake: the command listens). */
  readonly interruptsOnListen?: number;
}

/** Streams captured into strings and an interrupt held apart from the process's SIGINT. */
export function memoryIo(o: MemoryIoOptions = {}): MemoryIo {
  const listeners = new Set<() => void>();
  const exits: number[] = [];
  const stdout = new Captured();
  const stderr = o.tty === true ? new Captured(true, 100) : new Captured();
  const io: CliIo = {
    stdout, stderr,
    onInterrupt(listener) {
      listeners.add(listener);
      for (let i = 0; i < (o.interruptsOnListen ?? 0); i++) listener();
      return () => { listeners.delete(listener); };
    },
    exit(code) {
      exits.push(code);
      throw new Error(`exit(${code}) called`);
    },
  };
  return { io, stdout, stderr, listeners, exits };
}

/**
 * Run the command line with `args` in this process: `main(args, io)` of src/cli/program.ts on a
 * memoryIo (a run that leaves an interrupt listener behind fails). The same result as
 * `cli(...args)` without the child process; relative paths resolve against this process's
 * working directory, which must be the repository root, as cli()'s is. For runs that end in this
 * thread (a refusal, a short inline run): a run that could hang, or whose worker threads must
 * not outlive it unseen, goes through cli(), whose child is killed after CLI_RUN_MS.
 */
export async function cliInProcess(...args: string[]): Promise<CliRun> {
  if (process.cwd() !== resolve(ROOT)) throw new Error(`cliInProcess: the working directory is ${process.cwd()}, expected the repository root ${ROOT}`);
  const { main } = await import('../../src/cli/program.js');
  const m = memoryIo();
  const code = await main(args, m.io);
  if (m.listeners.size > 0) throw new Error(`cliInProcess ${args.join(' ')}: ${m.listeners.size} interrupt listener(s) left behind`);
  return { code, stdout: m.stdout.text, stderr: m.stderr.text };
}

let scenarioNames = 0;

/**
 * A user scenario name not used before in this process (`user-abba-1`, …). A scenario file
 * registers its dma-buf ops under its scenario's name, once per process, and a second file
 * registering the same name with other functions is refused (as two such files in one run of the
 * binary are): each user scenario file a test runs through cliInProcess needs a name of its own.
 */
export function freshScenarioName(base = 'user-abba'): string {
  return `${base}-${++scenarioNames}`;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp dir, removed after the current test. */
export function tempDir(prefix = 'dmabuf-harness-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
