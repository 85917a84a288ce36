/**
 * Duration options: `30s`, `2m`, `500ms` parse to milliseconds; anything else — a bare number
 * too, which has no unit to read it in — is refused with what was expected (commander turns that
 * into one line and exit code 2); the help shows a duration's default in seconds rather than raw
 * milliseconds.
 */
import { Command, InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { durationMs, durationOption } from '../../../src/cli/options.js';

describe('durationMs', () => {
  it.each([
    ['30s', 30_000], ['2m', 120_000], ['500ms', 500], ['10ms', 10], ['1.5s', 1500], ['1h', 3_600_000],
  ])('reads %s as %i ms', (v, ms) => {
    expect(durationMs(v)).toBe(ms);
  });

  it.each(['', '0', '0s', '5x', '-1s', 's', '1 s'])('refuses %j', (v) => {
    expect(() => durationMs(v)).toThrow(InvalidArgumentError);
  });

  it.each(['10', '1.5', '60'])('refuses the bare number %j rather than guess its unit', (v) => {
    expect(() => durationMs(v)).toThrow(InvalidArgumentError);
  });
});

describe('durationOption', () => {
  const command = (): Command => new Command('t').exitOverride()
    .addOption(durationOption('--duration <duration>', 'run time', 60_000)).action(() => undefined);

  it('shows its default in seconds in the help', () => {
    expect(command().helpInformation()).toContain('(default: 60s)');
  });

  it.each([[[], 60_000], [['--duration', '2m'], 120_000]] as const)('parses %j to %i ms', (args, ms) => {
    const c = command();
    c.parse([...args], { from: 'user' });
    expect(c.opts().duration).toBe(ms);
  });
});
