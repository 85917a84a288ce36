/**
 * The command line's usage errors: no command is one line naming the commands (help stays a
 * command and an option, exit 0); commander's own refusals carry ERR_BAD_OPTION like the rest;
 * replay's --executor takes only what a schedule can be followed by; a replay file naming a
 * scenario source that cannot be loaded is refused naming the file and the field. The first case
 * runs the bin entry (its exit code set through process.exitCode); the others run `main` in this
 * process.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLOSED_PIPE_EXIT } from '../../../src/cli/io.js';
import { CLI, cli, cliInProcess, cliRuns } from '../../support/cli.js';
import { editJson, expectRefusal, recordedReplay } from '../../support/refusal.js';

describe('the command line', () => {
  it('without a command: one line naming the commands and help, exit 2', () => {
    const r = cli();
    expectRefusal(r, 'ERR_BAD_OPTION', ['hunt', 'replay', 'stress', 'help']);
    expect(r.stdout).toBe('');
  });

  it('a reader gone before the output (`list | head`) ends it quietly with 128 + SIGPIPE', { timeout: cliRuns(1) }, async () => {
    // The read end is closed in the tick that starts the child, long before node has loaded the
    // command line and written its first line.
    const child = spawn(process.execPath, [CLI, 'list'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += String(d); });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(CLOSED_PIPE_EXIT);
  });

  it.each([['--help'], ['help'], ['help', 'hunt']])('%s prints the full help, exit 0', async (...args) => {
    const r = await cliInProcess(...args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').length).toBeGreaterThan(10);
  });

  it.each([
    [['hunt', 'abba-no-ctx', '--trials', '0'], '--trials'],
    [['bogus'], 'bogus'],
    [['replay'], 'file'],
  ])('a usage error from the option parser %j carries ERR_BAD_OPTION', async (args, needle) => {
    expectRefusal(await cliInProcess(...args), 'ERR_BAD_OPTION', [needle]);
  });

  it.each(['stress', 'qemu'])('replay --executor %s is refused by the option, which lists only inline and controlled', { timeout: cliRuns(2) }, async (kind) => {
    const r = await cliInProcess('replay', await recordedReplay(), '--executor', kind);
    expectRefusal(r, 'ERR_BAD_OPTION', ['--executor']);
    expect(r.stderr).not.toMatch(/one of [^"]*stress/);
  });

  it.each([['/nonexistent/dir/scenario.ts'], ['']])('replay refuses a scenario.source %j naming the replay file and the field', { timeout: cliRuns(2) }, async (source) => {
    const file = await recordedReplay();
    editJson(file, (d) => ({ ...d, scenario: { ...(d.scenario as object), source } }));
    expectRefusal(await cliInProcess('replay', file), 'ERR_REPLAY_FILE', [file, 'scenario.source']);
  });
});
