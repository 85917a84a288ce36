/**
 * Arena buffers are reused: a released arena's buffer comes back zeroed for the next arena of
 * the same size, and a closed inline executor refuses to run (ERR_CLOSED) rather than write a
 * buffer another arena now owns.
 */
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import { abbaNoCtx } from '../../../scenarios/abba-no-ctx.js';

describe('arena buffer pool', () => {
  it('hands a released buffer, zeroed, to the next arena of the same size', () => {
    const a = Arena.create({ actors: 3 });
    a.i32.fill(7, a.layout.control, a.layout.control + 16);
    a.release();
    const b = Arena.create({ actors: 3 });
    expect(b.sab).toBe(a.sab);
    expect(Array.from(b.i32.subarray(b.layout.control, b.layout.control + 16)).every((x) => x === 0)).toBe(true);
    expect(Arena.create({ actors: 3 }).sab).not.toBe(a.sab);
  });

  it('refuses a trial on a closed inline executor', () => {
    const ex = new InlineExecutor(abbaNoCtx);
    ex.runTrial(1);
    ex.close();
    expect(() => ex.runTrial(2)).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }));
  });
});
