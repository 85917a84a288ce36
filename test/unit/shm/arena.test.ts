import { describe, expect, it } from 'vitest';

describe('arena attachment', () => {
  it('gives an attaching thread exactly the geometry the creator chose, after a trial reset', async () => {
    const { Arena } = await import('../../../src/shm/arena.js');
    const { GEOMETRY_KEYS } = await import('../../../src/shm/layout.js');
    const g = Object.fromEntries(GEOMETRY_KEYS.map((k, i) => [k, 3 + i])) as Record<string, number>;
    const a = Arena.create(g);
    a.resetTrial({ actors: 2, mode: 0, stepLimit: 77, waitPolicy: 1, replayLen: 0 });
    expect(Arena.attach(a.sab).geometry).toEqual(g);
  });
});
