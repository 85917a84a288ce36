/**
 * A bench script's entry point. Bad input — an option parseArgs refuses (ERR_PARSE_ARGS_*), a
 * value the harness's parsers refuse (a HarnessError of a bad-input code, commander's
 * InvalidArgumentError) — is one line on stderr naming the script, and exit code 2; options are
 * checked before anything is measured. Anything else is a crash with its stack.
 */
import { InvalidArgumentError } from 'commander';
import { HarnessError } from '../src/errno/errors.js';

/** The harness error codes that mean bad input to a bench script: an option or a scenario
 *  parameter (checked before anything is measured), the output file (checked before too, and
 *  written at the end). Any other (a worker failure, a full arena, a scenario the harness
 *  refuses mid-run) is a failure. */
const BAD_INPUT_CODES: ReadonlySet<string> = new Set(['ERR_BAD_OPTION', 'ERR_OUTPUT']);

/** Whether `err` is bad input rather than a failure. */
export function isBadInput(err: unknown): err is Error {
  if (err instanceof HarnessError) return BAD_INPUT_CODES.has(err.code);
  if (err instanceof InvalidArgumentError) return true;
  return err instanceof Error && (err as { code?: unknown }).code?.toString().startsWith('ERR_PARSE_ARGS') === true;
}

/** Run `main` and set the exit code: its result (0 when none), or 2 for bad input (isBadInput)
 *  after one line `name: message` on stderr. */
export async function benchMain(name: string, main: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await main()) ?? 0;
  } catch (err) {
    if (!isBadInput(err)) throw err;
    process.stderr.write(`${name}: ${err.message}\n`);
    process.exitCode = 2;
  }
}
