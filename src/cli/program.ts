/**
 * The command line as a function: `main(argv, io)` parses `argv` (the arguments after the
 * program's name), runs the command and resolves with its exit code: 0 expectations met, 1 an
 * unexpected or missed finding, 2 bad usage or input (one line on stderr naming what is wrong; a
 * HarnessError's line carries its code, `dmabuf-harness [ERR_BAD_OPTION]: …`), 130 interrupted.
 * Everything it writes, and the interrupt it listens for, goes through `io` (io.ts); the bin
 * entry (main.ts) passes the process's own.
 */
import { Command, CommanderError } from 'commander';
import { HarnessError } from '../errno/errors.js';
import { DEFAULT_PORTFOLIO, SMALL_SCENARIO_DFS } from '../campaign/portfolio.js';
import { CATALOG } from '../../scenarios/index.js';
import { registerBench } from './bench_cmd.js';
import { huntCommand } from './hunt_cmd.js';
import { registerModTools } from './modtools.js';
import { durationOption, executorKind, givenOptions, jobsCount, paramPair, positiveInt, replayExecutorKind, seedValue, strategyList, trialTimeoutOption } from './options.js';
import { replayCommand } from './replay_cmd.js';
import { shrinkCommand } from './shrink_cmd.js';
import { registerStress } from './stress_cmd.js';
import type { CliIo, CliStream } from './io.js';

/** The width help is wrapped to on `s`: a terminal's, else commander's default of 80. */
function helpWidth(s: CliStream): number {
  return (s.isTTY === true ? s.columns : undefined) ?? 80;
}

function program(io: CliIo, setCode: (c: number) => void): Command {
  const p = new Command('dmabuf-harness').exitOverride().configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    getOutHelpWidth: () => helpWidth(io.stdout),
    getErrHelpWidth: () => helpWidth(io.stderr),
    // A usage error from the option parser reads like the HarnessError lines: it is ERR_BAD_OPTION.
    outputError: (s, write) => write(s.replace(/^error: /, 'dmabuf-harness [ERR_BAD_OPTION]: ')),
  });
  p.command('list').description('built-in scenarios with their expected outcome').action(() => {
    for (const e of CATALOG) io.stdout.write(`${e.ref.padEnd(5)} ${e.scenario.name.padEnd(28)} ${e.scenario.expect}\n`);
  });
  p.command('hunt').description('hunt scenarios (catalog ids or scenario files; default: the whole catalog)')
    .argument('[scenario...]', 'catalog ids or paths of scenario files (.ts or .js)')
    .option('--executor <kind>', 'inline, controlled or stress', executorKind, 'inline')
    .option('--strategy <spec>', `portfolio (${DEFAULT_PORTFOLIO.join(',')}, plus ${SMALL_SCENARIO_DFS} for small scenarios) or a comma-separated list: random, pct:D, pos, dfs:B`, strategyList)
    .option('--trials <n>', 'trial budget per scenario', positiveInt, 1000)
    .addOption(durationOption('--time <duration>', 'time budget per scenario (30s, 2m, 500ms)', 10_000))
    .option('--seed <s>', 'seed of the first trial', seedValue, 1)
    .option('--jobs <j>', 'worker threads for inline trials', jobsCount, 1)
    .addOption(trialTimeoutOption())
    .option('--keep-going', 'spend the whole budget collecting distinct findings')
    .option('--param <key=value>', 'override a scenario parameter (repeatable)', paramPair)
    .option('--out <dir>', 'artifact directory (default runs/<timestamp>/)')
    .option('--no-artifacts', 'write no artifacts')
    .option('--json', 'one JSON document on stdout')
    .action(async (ids: string[], o, cmd: Command) => { setCode(await huntCommand(io, ids, o, givenOptions(cmd))); });
  p.command('replay').description('re-run a replay file and check its finding comes back')
    .argument('<file>', 'replay file')
    .option('--executor <kind>', 'inline or controlled (default: the recorded one; a stress recording is followed by controlled)', replayExecutorKind)
    .option('--trace <out.json>', 'write a Perfetto / Chrome trace of the run')
    .addOption(trialTimeoutOption())
    .action(async (file: string, o) => { setCode(await replayCommand(io, file, o)); });
  p.command('shrink').description('fewest context switches that keep the same finding')
    .argument('<file>', 'replay file')
    .option('--out <file>', 'shrunk replay file (default: FILE with .shrunk before .replay.json)')
    .addOption(trialTimeoutOption())
    .action(async (file: string, o) => { setCode(await shrinkCommand(io, file, o)); });
  registerModTools(p, io, setCode);
  registerStress(p, io, setCode);
  registerBench(p, io, setCode);
  return p;
}

/** Refuse a command line without a command: one line naming the commands (help is `help`). */
function checkCommandGiven(p: Command, argv: readonly string[]): void {
  if (argv.length > 0) return;
  const names = p.commands.map((c) => c.name()).join(', ');
  throw new HarnessError('ERR_BAD_OPTION', `expected a command (${names}); run 'dmabuf-harness help' for their options`);
}

/**
 * Run the command line `argv` (without the node binary and script) against `io`; resolves with
 * the exit code. A refusal (a HarnessError or a usage error from the option parser) is one line on
 * io.stderr and 2; any other error rejects. Every interrupt listener it adds is removed when it
 * settles.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let code = 0;
  try {
    const p = program(io, (c) => { code = c; });
    checkCommandGiven(p, argv);
    await p.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof HarnessError) { io.stderr.write(`dmabuf-harness [${err.code}]: ${err.message}\n`); return 2; }
    throw err;
  }
  return code;
}
