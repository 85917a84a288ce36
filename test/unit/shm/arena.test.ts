import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import type { Geometry } from '../../../src/shm/layout.js';

describe('arena attachment', () => {
  it('gives an attaching thread exactly the geometry the creator chose, after a trial reset', async () => {
    const { GEOMETRY_KEYS } = await import('../../../src/shm/layout.js');
    const g = Object.fromEntries(GEOMETRY_KEYS.map((k, i) => [k, 3 + i])) as Record<string, number>;
    const a = Arena.create(g);
    a.resetTrial({ actors: 2, mode: 0, stepLimit: 77, waitPolicy: 1, replayLen: 0 });
    expect(Arena.attach(a.sab).geometry).toEqual(g);
  });
});

describe('arena geometry', () => {
  const refusal = (g: Partial<Geometry>): string => {
    try { Arena.create(g); } catch (err) { return `${(err as { code: string }).code} ${(err as Error).message}`; }
    return 'accepted';
  };

  it.each([
    ['fences', { fences: 2 ** 20 + 1 }],
    ['iovas', { iovas: 2 ** 19 + 1 }],
    ['actors', { actors: 32 }],
    ['pages', { pages: 0 }],
  ])('refuses a %s count the handles or the layout cannot hold, naming the field', (field, g) => {
    expect(refusal(g)).toMatch(new RegExp(`^ERR_BAD_OPTION geometry\\.${field}: `));
  });

  it('accepts the largest reclaimed tables that keep four generation bits in a handle', () => {
    expect(refusal({ fences: 2 ** 20, iovas: 2 ** 19 })).toBe('accepted');
  });
});

describe('actor records', () => {
  it('start on a cache line, with the controlled seat alone on each record\'s second line', async () => {
    const { A_SEAT, ACTOR_WORDS, CACHE_LINE_WORDS, DEFAULT_GEOMETRY, computeLayout } = await import('../../../src/shm/layout.js');
    for (const actors of [1, 3, 8, 31]) expect(computeLayout({ ...DEFAULT_GEOMETRY, actors }).actors % CACHE_LINE_WORDS).toBe(0);
    expect([A_SEAT % CACHE_LINE_WORDS, ACTOR_WORDS % CACHE_LINE_WORDS, A_SEAT + 1 <= ACTOR_WORDS]).toEqual([0, 0, true]);
  });
});
