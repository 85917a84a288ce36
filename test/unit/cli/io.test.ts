/** The command line's process interface: the interrupt of a long run, and the process's own io. */
import { describe, expect, it } from 'vitest';
import { processIo, runInterrupt } from '../../../src/cli/io.js';
import { memoryIo } from '../../support/cli.js';

describe('runInterrupt', () => {
  it('aborts its signal at the first interrupt and exits 130 at the second', () => {
    const m = memoryIo();
    const interrupt = runInterrupt(m.io);
    const [listener] = [...m.listeners];
    expect(interrupt.signal.aborted).toBe(false);
    listener!();
    expect(interrupt.signal.aborted).toBe(true);
    expect(m.exits).toEqual([]);
    expect(() => listener!()).toThrow();
    expect(m.exits).toEqual([130]);
  });

  it('stops listening when stopped', () => {
    const m = memoryIo();
    runInterrupt(m.io).stop();
    expect(m.listeners.size).toBe(0);
  });
});

describe('processIo', () => {
  it('is the process\'s streams, and listens for SIGINT until stopped', () => {
    const io = processIo();
    expect(io.stdout).toBe(process.stdout);
    expect(io.stderr).toBe(process.stderr);
    const before = process.listenerCount('SIGINT');
    const stop = io.onInterrupt(() => {});
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    stop();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
