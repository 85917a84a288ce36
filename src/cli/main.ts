#!/usr/bin/env node
/**
 * The command line. Exit codes: 0 expectations met, 1 an unexpected or missed finding, 2 bad
 * usage or input (one line on stderr naming what is wrong).
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { HarnessError } from '../errno/errors.js';
import { DEFAULT_PORTFOLIO } from '../campaign/portfolio.js';
import { hunt, type HuntReport } from '../campaign/hunt.js';
import { CATALOG } from '../../scenarios/index.js';
import { formatTable } from './table.js';

function positiveInt(name: string): (v: string) => number {
  return (v) => {
    if (!/^[0-9]+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError(`${name}: expected a positive integer, got ${JSON.stringify(v)}`);
    return Number(v);
  };
}

function huntCommand(ids: string[], o: { trials: number; time: number; seed: number; json?: boolean }): number {
  const known = new Map(CATALOG.map((e) => [e.scenario.name, e]));
  for (const id of ids) {
    if (!known.has(id)) throw new HarnessError('ERR_BAD_OPTION', `hunt: unknown scenario ${JSON.stringify(id)}: see 'dmabuf-harness list'`);
  }
  const entries = ids.length === 0 ? CATALOG : ids.map((id) => known.get(id)!);
  const reports: HuntReport[] = entries.map((e) => hunt(e.scenario, {
    trials: o.trials, timeMs: o.time * 1000, seed: o.seed, strategies: DEFAULT_PORTFOLIO,
  }));
  if (o.json === true) process.stdout.write(`${JSON.stringify(reports.map(jsonReport), null, 2)}\n`);
  else process.stdout.write(`${formatTable(reports)}\n`);
  return reports.every((r) => r.ok) ? 0 : 1;
}

function jsonReport(r: HuntReport): object {
  return {
    scenario: r.scenario, expect: r.expect, trials: r.trials, seconds: Number(r.seconds.toFixed(3)), ok: r.ok, dropped: r.dropped,
    findings: r.findings.map((f) => ({ kind: f.kind, title: f.title, code: f.code, trial: f.trial, seed: f.seed, strategy: f.strategy })),
  };
}

function main(argv: readonly string[]): number {
  let code = 0;
  const program = new Command('dmabuf-harness').exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.command('list').description('built-in scenarios with their expected outcome').action(() => {
    for (const e of CATALOG) process.stdout.write(`${e.ref.padEnd(5)} ${e.scenario.name.padEnd(28)} ${e.scenario.expect}\n`);
  });
  program.command('hunt').description('hunt the given (default: all) built-in scenarios')
    .argument('[scenario...]', 'scenario ids')
    .option('--trials <n>', 'trial budget per scenario', positiveInt('--trials'), 1000)
    .option('--time <seconds>', 'time budget per scenario', positiveInt('--time'), 10)
    .option('--seed <s>', 'first seed', positiveInt('--seed'), 1)
    .option('--json', 'one JSON document on stdout')
    .action((ids: string[], o) => { code = huntCommand(ids, o); });
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof HarnessError) { process.stderr.write(`dmabuf-harness: ${err.message}\n`); return 2; }
    throw err;
  }
  return code;
}

process.exitCode = main(process.argv.slice(2));
