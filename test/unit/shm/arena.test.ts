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

describe('cache-line placement', () => {
  it('puts what the turn holder reads of every actor on a line apart from what each actor writes at every step', async () => {
    const L = await import('../../../src/shm/layout.js');
    const line = (w: number): number => Math.floor(w / L.CACHE_LINE_WORDS);
    for (const actors of [1, 3, 8, 31]) expect(L.computeLayout({ ...L.DEFAULT_GEOMETRY, actors }).actors % L.CACHE_LINE_WORDS).toBe(0);
    expect(L.ACTOR_WORDS % L.CACHE_LINE_WORDS).toBe(0);
    const read = [L.A_STATE, L.A_WAIT_KIND, L.A_WAIT_OBJ, L.A_WAIT_FLAGS, L.A_WAIT_DEADLINE, L.A_WAIT_CTX, L.A_WAIT_TICKET, L.A_SIGPENDING, L.A_WAIT_SITE];
    const own = [L.A_SEAT, L.A_GRANT_STEP, L.A_OP, L.A_EVCOUNT, L.A_HELD, L.A_SIGNALLING];
    expect(new Set(read.map(line))).toEqual(new Set([0]));
    expect(new Set(own.map(line))).toEqual(new Set([1]));
  });

  it('keeps the words written at every step on the control record\'s turn line, apart from the trial state', async () => {
    const L = await import('../../../src/shm/layout.js');
    const l = L.computeLayout(L.DEFAULT_GEOMETRY);
    const line = (w: number): number => Math.floor((l.control + w) / L.CACHE_LINE_WORDS);
    const turn = [L.C_STEP, L.C_TURN, L.C_EVSEQ, L.C_CLOCK].map(line);
    expect(new Set(turn)).toEqual(new Set([line(L.C_TURN_LINE)]));
    expect((l.control + L.C_TURN_LINE) % L.CACHE_LINE_WORDS).toBe(0);
    expect(L.C_TURN_LINE + L.CACHE_LINE_WORDS).toBeLessThanOrEqual(L.CONTROL_WORDS);
    for (const w of [L.C_STATE, L.C_NACTORS, L.C_STEP_LIMIT, L.C_REPLAY_LEN, L.C_MODE]) expect(turn).not.toContain(line(w));
  });

  it('keeps the stress awake count alone on its line, and every control word inside the record', async () => {
    const L = await import('../../../src/shm/layout.js');
    const l = L.computeLayout(L.DEFAULT_GEOMETRY);
    const line = (w: number): number => Math.floor((l.control + w) / L.CACHE_LINE_WORDS);
    const words = Object.entries(L).filter(([k, v]) => k.startsWith('C_') && k !== 'C_TURN_LINE' && typeof v === 'number') as [string, number][];
    for (const [k, w] of words) expect(w, k).toBeLessThan(L.CONTROL_WORDS);
    const sharing = words.filter(([k, w]) => k !== 'C_AWAKE' && line(w) === line(L.C_AWAKE)).map(([k]) => k);
    expect(sharing).toEqual([]);
  });
});

describe('arena vma rows', () => {
  it('refuses a vma handle outside the table (an -errno taken for a vma) with ERR_MODEL', async () => {
    const { VMA_ROWS } = await import('../../../src/shm/layout.js');
    const a = Arena.create({});
    expect(a.vma(VMA_ROWS - 1)).toBeGreaterThan(a.vma(0));
    for (const v of [-12, VMA_ROWS, 1.5]) expect(() => a.vma(v)).toThrow(expect.objectContaining({ code: 'ERR_MODEL' }));
  });
});
