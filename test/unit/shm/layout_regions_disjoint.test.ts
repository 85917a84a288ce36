// The arena map: every region computeLayout places is as long as its geometry count times its
// record stride, follows the previous one without overlapping it, and the last ends inside the
// arena's words (the Int32Array an arena is created with).
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../src/shm/arena.js';
import * as L from '../../../src/shm/layout.js';

type Base = Exclude<keyof L.Layout, 'geometry' | 'resvWords' | 'fenceRowBits' | 'iovaRowBits' | 'lockdepWords' | 'resetEnd' | 'words'>;

/** Each region's base field and its length in words, in arena order, from the region files' strides. */
function extents(g: L.Geometry): [Base, number][] {
  return [
    ['control', L.CONTROL_WORDS], ['sched', L.SCHED_WORDS], ['actors', g.actors * L.ACTOR_WORDS],
    ['mutexes', g.mutexes * L.MUTEX_WORDS], ['classes', g.classes * L.CLASS_WORDS], ['ctxs', g.ctxs * L.CTX_WORDS],
    ['fences', g.fences * L.FENCE_WORDS], ['callbacks', g.callbacks * L.CB_WORDS],
    ['resvs', g.resvs * (L.R_SLOTS + g.resvSlots * L.SLOT_WORDS)], ['findings', g.findings * L.FINDING_WORDS],
    ['user', g.userWords], ['dmabufs', g.dmabufs * L.DMABUF_WORDS], ['attachments', g.attachments * L.ATTACH_WORDS],
    ['pages', g.pages * L.PAGE_WORDS], ['iovas', g.iovas * L.IOVA_WORDS], ['devices', g.devices * L.DEVICE_WORDS],
    ['jobs', g.jobs * L.JOB_WORDS], ['modules', g.modules * L.MODULE_WORDS], ['vmas', L.VMA_ROWS * L.VMA_WORDS],
    ['priv', g.privWords],
    ['privShadow', L.privShadowWords(g.privWords)], ['privBlocks', g.privWords * L.PRIV_BLOCK_WORDS], ['lockdep', L.lockdepSize(g)],
    ['decisions', g.decisions * L.DECISION_WORDS], ['trace', g.actors * g.traceEvents * L.EVENT_WORDS],
  ];
}

const ones = Object.fromEntries(L.GEOMETRY_KEYS.map((k) => [k, 1])) as unknown as L.Geometry;
const distinct = Object.fromEntries(L.GEOMETRY_KEYS.map((k, i) => [k, 3 + i])) as unknown as L.Geometry;
const GEOMETRIES: [string, L.Geometry][] = [
  ['the default geometry', L.DEFAULT_GEOMETRY],
  ['one row of every table', ones],
  ['a different count for every table', distinct],
  ['the most actors and the largest reclaimed tables', { ...L.DEFAULT_GEOMETRY, actors: L.MAX_ACTORS, fences: 2 ** 20, iovas: 2 ** 19 }],
];

describe('arena map', () => {
  it.each(GEOMETRIES)('places every region after the header and the previous region, none overlapping another (%s)', (_name, g) => {
    const l = L.computeLayout(g);
    let end = L.HEADER_WORDS;
    for (const [region, words] of extents(g)) {
      expect(l[region], `${region} starts inside the region before it`).toBeGreaterThanOrEqual(end);
      end = l[region] + words;
    }
    expect(end, 'the last region ends past the arena').toBeLessThanOrEqual(l.words);
    expect(l.resetEnd).toBe(l.privBlocks + g.privWords * L.PRIV_BLOCK_WORDS);
    expect(l.lockdepWords).toBe(L.lockdepSize(g));
  });

  it('checks every region base the layout has', () => {
    const l = L.computeLayout(L.DEFAULT_GEOMETRY);
    const notBases = new Set(['geometry', 'resvWords', 'fenceRowBits', 'iovaRowBits', 'lockdepWords', 'resetEnd', 'words']);
    const bases = Object.keys(l).filter((k) => !notBases.has(k));
    expect(new Set(bases)).toEqual(new Set(extents(L.DEFAULT_GEOMETRY).map(([region]) => region)));
  });

  it.each(GEOMETRIES.slice(0, 3))('creates an arena of exactly the words the layout counts (%s)', (_name, g) => {
    const a = Arena.create(g);
    expect(a.i32.length).toBe(L.computeLayout(g).words);
    a.release();
  });
});
