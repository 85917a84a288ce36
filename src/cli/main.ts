#!/usr/bin/env node
/**
 * The command line. Exit codes: 0 expectations met, 1 an unexpected or missed finding, 2 bad
 * usage or input (one line on stderr naming what is wrong; a HarnessError's line carries its code,
 * `dmabuf-harness [ERR_BAD_OPTION]: …`), 130 interrupted.
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

function program(setCode: (c: number) => void): Command {
  const p = new Command('dmabuf-harness').exitOverride().configureOutput({
    writeErr: (s) => process.stderr.write(s),
    // A usage error from the option parser reads like the HarnessError lines: it is ERR_BAD_OPTION.
    outputError: (s, write) => write(s.replace(/^error: /, 'dmabuf-harness [ERR_BAD_OPTION]: ')),
  });
  p.command('list').description('built-in scenarios with their expected outcome').action(() => {
    for (const e of CATALOG) process.stdout.write(`${e.ref.padEnd(5)} ${e.scenario.name.padEnd(28)} ${e.scenario.expect}\n`);
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
    .action(async (ids: string[], o, cmd: Command) => { setCode(await huntCommand(ids, o, givenOptions(cmd))); });
  p.command('replay').description('re-run a replay file and check its finding comes back')
    .argument('<file>', 'replay file')
    .option('--executor <kind>', 'inline or controlled (default: the recorded one; a stress recording is followed by controlled)', replayExecutorKind)
    .option('--trace <out.json>', 'write a Perfetto / Chrome trace of the run')
    .addOption(trialTimeoutOption())
    .action(async (file: string, o) => { setCode(await replayCommand(file, o)); });
  p.command('shrink').description('fewest context switches that keep the same finding')
    .argument('<file>', 'replay file')
    .option('--out <file>', 'shrunk replay file (default: FILE with .shrunk before .replay.json)')
    .addOption(trialTimeoutOption())
    .action(async (file: string, o) => { setCode(await shrinkCommand(file, o)); });
  registerModTools(p, setCode);
  registerStress(p, setCode);
  registerBench(p, setCode);
  return p;
}

/** Refuse a command line without a command: one line naming the commands (help is `help`). */
function checkCommandGiven(p: Command, argv: readonly string[]): void {
  if (argv.length > 0) return;
  const names = p.commands.map((c) => c.name()).join(', ');
  throw new HarnessError('ERR_BAD_OPTION', `expected a command (${names}); run 'dmabuf-harness help' for their options`);
}

async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  try {
    const p = program((c) => { code = c; });
    checkCommandGiven(p, argv);
    await p.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof HarnessError) { process.stderr.write(`dmabuf-harness [${err.code}]: ${err.message}\n`); return 2; }
    throw err;
  }
  return code;
}

process.exitCode = await main(process.argv.slice(2));
