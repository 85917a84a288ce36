/** A bench script turns bad input into one line and exit 2, and lets a real failure crash. */
import { parseArgs } from 'node:util';
import { InvalidArgumentError } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { benchMain, isBadInput } from '../../../bench/main.js';
import { HarnessError } from '../../../src/errno/errors.js';

const parseError = (): unknown => {
  try { parseArgs({ args: ['--nope'], options: {} }); } catch (err) { return err; }
  return undefined;
};

describe('bench main', () => {
  afterEach(() => { process.exitCode = undefined; vi.restoreAllMocks(); });

  it.each([
    ['a HarnessError for an option', new HarnessError('ERR_BAD_OPTION', '--seconds: expected a positive number'), true],
    ['a HarnessError for an output file', new HarnessError('ERR_OUTPUT', 'docs/X.md: cannot write'), true],
    ['a scenario the harness refuses mid-run', new HarnessError('ERR_SCENARIO', 'module not loaded'), false],
    ['a worker failure', new HarnessError('ERR_WORKER', 'actor threads did not stop'), false],
    ['a full arena', new HarnessError('ERR_ARENA_GEOMETRY', 'fences full'), false],
    ['a refused parser value', new InvalidArgumentError('expected a size'), true],
    ['an unknown option', parseError(), true],
    ['a plain Error', new Error('boom'), false],
    ['a TypeError', new TypeError('x is undefined'), false],
  ])('tells bad input from failure: %s', (_name, err, bad) => {
    expect(isBadInput(err)).toBe(bad);
  });

  it('sets exit code 2 and writes one line for bad input', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await benchMain('scaling', async () => { throw new HarnessError('ERR_BAD_OPTION', '--runs: expected a positive integer, got 0'); });
    expect(process.exitCode).toBe(2);
    expect(write).toHaveBeenCalledTimes(1);
    expect(String(write.mock.calls[0]![0])).toMatch(/^scaling: --runs: .*\n$/);
  });

  it('passes the main\'s exit code through, and rethrows a failure', async () => {
    await benchMain('bench', async () => 3);
    expect(process.exitCode).toBe(3);
    await expect(benchMain('bench', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
  });
});
