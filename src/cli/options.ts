/**
 * Option parsers for commander: each returns the parsed value or throws InvalidArgumentError
 * with what was expected, which commander prints as one line before exit code 2.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { HarnessError } from '../errno/errors.js';
import { CONTROLLED_TRIAL_TIMEOUT_MS } from '../exec/controlled.js';
import { INLINE_TRIAL_TIMEOUT_MS } from '../exec/exec_options.js';
import type { ParamOrigin } from '../exec/scenario.js';
import { STRESS_STALL_MS } from '../exec/stress.js';
import { createScheduler } from '../sched/create.js';
import { SCHED_WORDS } from '../shm/layout.js';
import { EXECUTORS, type ExecutorKind } from '../campaign/runner.js';

/** A positive integer (no sign, no exponent). */
export function positiveInt(v: string): number {
  if (!/^[0-9]+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError(`expected a positive integer, got ${JSON.stringify(v)}`);
  return Number(v);
}

/** Worker threads for `--jobs`: 1 up to four per CPU (more only queue for the cores). */
export function jobsCount(v: string): number {
  const max = 4 * availableParallelism();
  const n = /^[0-9]+$/.test(v) ? Number(v) : NaN;
  if (!(n >= 1 && n <= max)) throw new InvalidArgumentError(`expected an integer 1..${max} (four per CPU), got ${JSON.stringify(v)}`);
  return n;
}

/** A non-negative integer seed. */
export function seedValue(v: string): number {
  if (!/^[0-9]+$/.test(v) || Number(v) > 0x7fffffff) throw new InvalidArgumentError(`expected an integer 0..2147483647, got ${JSON.stringify(v)}`);
  return Number(v);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The longest duration taken: a week (timers overflow past ~24.8 days). */
export const DURATION_MAX_MS = 7 * 24 * 3_600_000;

/**
 * A duration with its unit, such as `30s`, `2m`, `500ms` or `1.5h`, up to DURATION_MAX_MS;
 * returns milliseconds. A bare number is refused rather than read in some unit: `--revoke-every
 * 10` meant as 10 ms would otherwise run a thousand times slower than asked.
 */
export function durationMs(v: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)?$/.exec(v);
  if (m !== null && m[2] === undefined) throw new InvalidArgumentError(`expected a duration with a unit, like 30s, 2m or 500ms, got ${JSON.stringify(v)}`);
  const ms = m === null ? NaN : Number(m[1]) * UNIT_MS[m[2]!]!;
  if (!(ms > 0 && ms <= DURATION_MAX_MS)) {
    throw new InvalidArgumentError(`expected a duration like 30s, 2m or 500ms, at most 168h, got ${JSON.stringify(v)}`);
  }
  return ms;
}

/** A `--flag <duration>` option parsed by durationMs, its default shown in seconds in the help. */
export function durationOption(flags: string, description: string, defaultMs: number): Option {
  return new Option(flags, description).argParser(durationMs).default(defaultMs, `${defaultMs / 1000}s`);
}

/** The help of hunt's, replay's and shrink's --trial-timeout: every executor's default. */
const TRIAL_TIMEOUT_HELP = `a trial still running after this long is a hang (default ${INLINE_TRIAL_TIMEOUT_MS / 1000}s inline, ${CONTROLLED_TRIAL_TIMEOUT_MS / 1000}s controlled; stress: ${STRESS_STALL_MS / 1000}s without progress)`;

/**
 * `--trial-timeout <duration>` (no default: each executor keeps its own): how long a trial may
 * run before the watchdog stops it as a hang — a stress trial, how long without progress.
 * `help`: the option's help text.
 */
export function trialTimeoutOption(help = TRIAL_TIMEOUT_HELP): Option {
  return new Option('--trial-timeout <duration>', help).argParser(durationMs);
}

/** A parser of `--executor`: one of `kinds`; a refusal lists them, then says `why` others are
 *  not. */
export function executorOf(kinds: readonly ExecutorKind[], why = ''): (v: string) => ExecutorKind {
  return (v) => {
    if (!(kinds as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${kinds.join(', ')}, got ${JSON.stringify(v)}${why}`);
    return v as ExecutorKind;
  };
}

/** `inline`, `controlled` or `stress` (hunt). */
export const executorKind = executorOf(EXECUTORS);

/** `inline` or `controlled` (replay: a schedule is followed by one of these). */
export const replayExecutorKind = executorOf(['inline', 'controlled'], ' (a stress run follows no schedule)');

const probeViews = { state: new Int32Array(SCHED_WORDS), decisions: new Int32Array(2), pending: (): number => 0, resvLock: (): number => 0, jobFence: (): number => -1 };

/** `portfolio` (undefined: the campaign picks per scenario), or a comma-separated list of
 *  strategy specs (random, pct:3, pos, dfs:2, …). */
export function strategyList(v: string): readonly string[] | undefined {
  if (v === 'portfolio') return undefined;
  const specs = v.split(',');
  for (const spec of specs) {
    if (spec === 'replay' || spec === 'guided') throw new InvalidArgumentError(`${spec} is chosen by 'dmabuf-harness replay', not --strategy`);
    try {
      createScheduler(spec, probeViews);
    } catch (err) {
      if (err instanceof HarnessError) throw new InvalidArgumentError(err.message);
      throw err;
    }
  }
  return specs;
}

/** `--param key=value` (repeatable): numbers, true/false, or strings. */
export function paramPair(v: string, prev: Record<string, number | string | boolean> = {}): Record<string, number | string | boolean> {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(v);
  if (m === null) throw new InvalidArgumentError(`expected key=value, got ${JSON.stringify(v)}`);
  const raw = m[2]!;
  const value = raw === 'true' ? true : raw === 'false' ? false : /^-?[0-9]+(\.[0-9]+)?$/.test(raw) ? Number(raw) : raw;
  return { ...prev, [m[1]!]: value };
}

/**
 * Scenario parameters set on the command line: by `--param key=value` (paramPair), or, for the
 * keys of `knobs`, by the option written there as typed (`{ importers: '--importers 17' }`). A
 * refusal names the option and its value as typed, and says how a number is written.
 */
export function cliParams(knobs: Readonly<Record<string, string>> = {}): ParamOrigin {
  return {
    where: (s, k, v) => `scenario ${s}: ${Object.hasOwn(knobs, k) ? knobs[k]! : `--param ${k}=${String(v)}`}`,
    numberForm: 'written in decimal digits (like 4, -1 or 0.5)',
  };
}

/** Default artifact directory of hunt and stress: runs/<timestamp>/ under the working directory. */
export function defaultArtifactsDir(): string {
  return join('runs', new Date().toISOString().replace(/[:.]/g, '-'));
}

/** The long flags of `cmd`'s options given on the command line (not those left at a default). */
export function givenOptions(cmd: Command): string[] {
  return cmd.options.filter((opt) => cmd.getOptionValueSource(opt.attributeName()) === 'cli').map((opt) => opt.long ?? opt.flags);
}
