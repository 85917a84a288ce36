/**
 * The command line as a function, `main(argv, io)`: it writes only through `io`, draws the
 * progress bar only when io's stderr is a terminal, and takes its interrupt from `io` — the first
 * stops a campaign (exit 130), a second ends the process at once — leaving no listener on the
 * process.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/program.js';
import { CATALOG } from '../../../scenarios/index.js';
import { memoryIo } from '../../support/cli.js';

afterEach(() => { vi.restoreAllMocks(); });

describe('main(argv, io)', () => {
  it('writes through io, not on the process\'s streams', async () => {
    const m = memoryIo();
    const out = vi.spyOn(process.stdout, 'write');
    const err = vi.spyOn(process.stderr, 'write');
    expect(await main(['list'], m.io)).toBe(0);
    expect(await main(['hunt', 'no-such-scenario'], m.io)).toBe(2);
    expect(out).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
    expect(m.stdout.text.trimEnd().split('\n')).toHaveLength(CATALOG.length);
    expect(m.stderr.text).toMatch(/^dmabuf-harness \[ERR_SCENARIO\]: [^\n]*\n$/);
  });

  it.each([[false, ''], [true, ''], [true, ' --json']])('draws the progress bar on io.stderr when it is a terminal: %s%s', async (tty, json) => {
    const m = memoryIo({ tty });
    const args = ['hunt', 'abba-ww-backoff', '--trials', '50', '--no-artifacts', ...(json === '' ? [] : [json.trim()])];
    expect(await main(args, m.io)).toBe(0);
    expect(m.stderr.text === '').toBe(!tty || json !== '');
    if (tty && json === '') expect(m.stderr.text).toMatch(/scenario 1\/1 abba-ww-backoff +\[[^\]]*\] \d+\/50 trials/);
  });

  it('stops a hunt at the first interrupt of io: exit 130, the results still printed, no listener left', async () => {
    const m = memoryIo({ interruptsOnListen: 1 });
    const sigint = process.listenerCount('SIGINT');
    const code = await main(['hunt', 'revoke-wait-kernel', '--keep-going', '--trials', '5000', '--time', '10m', '--no-artifacts', '--json'], m.io);
    expect(code, m.stderr.text).toBe(130);
    expect(Array.isArray(JSON.parse(m.stdout.text))).toBe(true);
    expect(m.listeners.size).toBe(0);
    expect(process.listenerCount('SIGINT')).toBe(sigint);
  });

  // Handshake: the command listens and its progress shows on the terminal, so it is mid-run.
  it.each([
    ['hunt', ['hunt', 'revoke-wait-kernel', '--keep-going', '--trials', '1000000', '--time', '10m', '--no-artifacts']],
    ['stress', ['stress', 'stress-revoke', '--duration', '10m']],
  ])('%s ends the process through io.exit(130) at a second interrupt mid-run', async (_cmd, args) => {
    const m = memoryIo({ tty: true });
    const run = main(args, m.io);
    while (m.listeners.size === 0 || m.stderr.text === '') await new Promise((next) => setImmediate(next));
    for (const interrupt of [...m.listeners]) {
      interrupt();
      expect(() => interrupt()).toThrow('exit(130)');
    }
    expect(m.exits).toEqual([130]);
    expect(await run).toBe(130);
    expect(m.listeners.size).toBe(0);
  });
});
