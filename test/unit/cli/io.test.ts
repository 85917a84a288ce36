/** The command line's process interface: the interrupt of a long run, and the process's own io. */
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { CLOSED_PIPE_EXIT, exitOnClosedPipe, processIo, runInterrupt } from '../../../src/cli/io.js';
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

describe('exitOnClosedPipe', () => {
  function pipeError(code: string): { exits: number[]; emit: () => void } {
    const stream = new EventEmitter();
    const exits: number[] = [];
    exitOnClosedPipe(stream, (c) => { exits.push(c); throw new Error('exited'); });
    return { exits, emit: () => stream.emit('error', Object.assign(new Error(code), { code })) };
  }

  it('exits with 128 + SIGPIPE when the reader went away (EPIPE)', () => {
    const p = pipeError('EPIPE');
    expect(p.emit).toThrow('exited');
    expect(p.exits).toEqual([CLOSED_PIPE_EXIT]);
    expect(CLOSED_PIPE_EXIT).toBe(141);
  });

  it('throws any other error of the stream on', () => {
    const p = pipeError('EIO');
    expect(p.emit).toThrow('EIO');
    expect(p.exits).toEqual([]);
  });
});
