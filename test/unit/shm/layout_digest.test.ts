// The layout digest (src/shm/layout_digest.ts): derived from every name the layout index exports
// and every number computeLayout places; one word moved, one record grown, a default geometry or
// a layout function changed in a copy of the index gives another digest, while the order of the
// index's names and of the keys of its data does not; the same build gives the same digest on
// every call and in every process.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as L from '../../../src/shm/layout.js';
import {
  LAYOUT_DIGEST_FORM, digestLayout, layoutDigest, layoutTables, layoutTablesOf, type LayoutEntry, type LayoutIndex, type LayoutTables,
} from '../../../src/shm/layout_digest.js';
import { ROOT } from '../../support/cli.js';

/** `t` with entry `name` of list `list` given value `value`. */
function edited(t: LayoutTables, list: 'regions', name: string, value: (v: string) => string): LayoutTables {
  expect(t[list].some(([k]) => k === name), name).toBe(true);
  return { ...t, [list]: t[list].map(([k, v]): LayoutEntry => [k, k === name ? value(v) : v]) };
}

/** `t` with the resv records of both probes one word longer: the record stride and every base
 *  placed after the resv table move, as computeLayout would place them. */
function resvGrown(t: LayoutTables): LayoutTables {
  const rows: Record<string, number> = { default: L.DEFAULT_GEOMETRY.resvs, row: 1 };
  const base = (probe: string): number => Number(t.regions.find(([k]) => k === `${probe}.resvs`)![1]);
  return {
    ...t,
    regions: t.regions.map(([k, v]): LayoutEntry => {
      const [probe, field] = k.split('.') as [string, string];
      const n = Number(v);
      if (field === 'resvWords') return [k, String(n + 1)];
      const moves = !['resvs', 'resvWords', 'fenceRowBits', 'iovaRowBits', 'lockdepWords'].includes(field) && n > base(probe);
      return [k, String(moves ? n + rows[probe]! : n)];
    }),
  };
}

/** The digest of a copy of the layout index with `patch` applied. */
const digestOf = (patch: Readonly<Record<string, unknown>>): string => digestLayout(layoutTablesOf({ ...L, ...patch } as LayoutIndex));

/** `o` with its own keys in reverse order. */
const reversed = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).reverse()) as T;

describe('layout digest', () => {
  it('is LAYOUT_VERSION, then a hash that covers the version too', () => {
    const t = layoutTables();
    expect(layoutDigest()).toBe(digestLayout(t));
    const next = digestLayout({ ...t, version: t.version + 1 });
    expect(next.split(':')[0]).toBe(String(L.LAYOUT_VERSION + 1));
    expect(next.split(':')[1]).not.toBe(layoutDigest().split(':')[1]);
    for (const d of [layoutDigest(), next]) expect(d).toMatch(LAYOUT_DIGEST_FORM);
  });

  it('does not depend on the order of the index\'s names or of the keys of its data', () => {
    expect(Object.keys(L.DEFAULT_GEOMETRY).length).toBeGreaterThan(1);
    expect(digestLayout(layoutTablesOf(reversed({ ...L })))).toBe(layoutDigest());
    expect(digestOf({ DEFAULT_GEOMETRY: reversed(L.DEFAULT_GEOMETRY) })).toBe(layoutDigest());
  });

  it.each([
    ['a field offset', { R_NUM: L.R_NUM + 1 }],
    ['a record stride', { SLOT_WORDS: L.SLOT_WORDS + 1 }],
    ['a constant', { DECISION_WORDS: L.DECISION_WORDS + 1 }],
    ['the default geometry', { DEFAULT_GEOMETRY: { ...L.DEFAULT_GEOMETRY, resvs: L.DEFAULT_GEOMETRY.resvs + 1 } }],
    ['a layout function', { packOp: (op: number, obj: number): number => (op << 23) | (obj & 0xffffff) }],
  ] as const)('changes when %s changes in a copy of the index', (_what, patch) => {
    expect(digestOf({})).toBe(layoutDigest());
    expect(digestOf(patch)).not.toBe(layoutDigest());
  });

  it('is the same in another process', () => {
    const url = new URL(`file://${join(ROOT, 'dist/src/shm/layout_digest.js')}`).href;
    const other = execFileSync(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(url)}).then((m) => process.stdout.write(m.layoutDigest()))`], { encoding: 'utf8' });
    expect(other).toBe(layoutDigest());
  });

  it('covers every name the layout index exports and every number computeLayout places', () => {
    const t = layoutTables();
    expect(t.names.map(([k]) => k)).toEqual(Object.keys(L).sort());
    const placed = Object.entries(L.computeLayout(L.DEFAULT_GEOMETRY)).filter(([, v]) => typeof v === 'number').map(([k]) => k).sort();
    expect(placed.length).toBeGreaterThan(20);
    for (const probe of ['default', 'row']) {
      expect(t.regions.filter(([k]) => k.startsWith(`${probe}.`)).map(([k]) => k.slice(probe.length + 1)).sort()).toEqual(placed);
    }
  });

  it('changes when a region\'s records grow one word', () => {
    const t = layoutTables();
    const grown = resvGrown(t);
    expect(grown.regions.find(([k]) => k === 'row.findings')![1]).not.toBe(t.regions.find(([k]) => k === 'row.findings')![1]);
    expect(digestLayout(grown)).not.toBe(digestLayout(t));
  });

  it.each([
    ['regions', 'default.priv', (v: string) => String(Number(v) + 1)],
    ['regions', 'row.words', (v: string) => String(Number(v) + 1)],
  ] as const)('changes when %s entry %s changes', (list, name, change) => {
    const t = layoutTables();
    const other = edited(t, list, name, change);
    expect(other).not.toEqual(t);
    expect(digestLayout(other)).not.toBe(digestLayout(t));
  });
});
