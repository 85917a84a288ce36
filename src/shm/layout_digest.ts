/**
 * The layout digest: a short fingerprint of the arena layout this build places. A replay file
 * records it (campaign/replay_file.ts): a recorded schedule names arena rows and absolute word
 * offsets, so a file recorded against another layout is another schedule, and is refused.
 *
 * The digest is derived from the layout itself, never from a hand-kept list: every name the layout
 * index (layout.ts) exports — each region file's field offsets, strides and constants, the default
 * geometry, and the functions that place or encode words (by their source) — and every base the
 * arena map (computeLayout) places, for the default geometry and for a geometry of one row a table
 * (where each region's size is its stride). The index lists every name of every region file
 * (test/unit/shm/layout_index.test.ts), so a word added anywhere in the layout is covered.
 *
 * A function's source includes its comments: editing one inside a layout function's body changes
 * the digest (a replay file is then refused and recorded again, never misread).
 *
 * This file imports the index, so the index cannot re-export it: import it from here.
 */
import { createHash } from 'node:crypto';
import * as L from './layout.js';

/** What the tables are computed from: the layout index (layout.ts) as a module namespace, or a
 *  copy of it with values changed (tests). */
export type LayoutIndex = typeof L;

/** One named value of the layout: `[name, canonical text of its value]`. */
export type LayoutEntry = readonly [name: string, value: string];

/** What the digest is computed from, each list sorted by name. */
export interface LayoutTables {
  /** LAYOUT_VERSION, shown in front of the digest for a reader (the digest covers it too). */
  readonly version: number;
  /** Every name the index exports, with its value. */
  readonly names: readonly LayoutEntry[];
  /** Every number computeLayout returns (region bases and sizes), per probe geometry:
   *  `default.<field>` and `row.<field>`. */
  readonly regions: readonly LayoutEntry[];
}

/** Canonical text of an exported value: numbers as themselves, functions by their source, data
 *  as JSON with sorted keys (key order never changes the digest). */
function canonical(v: unknown): string {
  if (typeof v === 'function') return `fn ${v.toString()}`;
  return JSON.stringify(v, (_k, x: unknown) => (x !== null && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : x));
}

const byName = (a: LayoutEntry, b: LayoutEntry): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** The numbers `index`'s computeLayout places for geometry `g`, named `<probe>.<field>`. */
function placed(index: LayoutIndex, probe: string, g: L.Geometry): LayoutEntry[] {
  return Object.entries(index.computeLayout(g))
    .filter((e): e is [string, number] => typeof e[1] === 'number')
    .map(([k, v]) => [`${probe}.${k}`, String(v)] as const);
}

/**
 * The tables of layout index `index` (pure: a function of the index's names and values only, not
 * of the order of its names or of the keys of its data).
 */
export function layoutTablesOf(index: LayoutIndex): LayoutTables {
  const oneRow = Object.fromEntries(index.GEOMETRY_KEYS.map((k) => [k, 1])) as unknown as L.Geometry;
  return {
    version: index.LAYOUT_VERSION,
    names: Object.entries(index).map(([k, v]) => [k, canonical(v)] as const).sort(byName),
    regions: [...placed(index, 'default', index.DEFAULT_GEOMETRY), ...placed(index, 'row', oneRow)].sort(byName),
  };
}

/** The tables of this build's layout (the same on every call and in every process). */
export function layoutTables(): LayoutTables {
  return layoutTablesOf(L);
}

/** The form of every digest digestLayout makes: `<version>:<16 hex digits>`. */
export const LAYOUT_DIGEST_FORM = /^\d+:[0-9a-f]{16}$/;

/** The digest of `t`: `<version>:<16 hex digits of SHA-256 over every entry>`. */
export function digestLayout(t: LayoutTables): string {
  const h = createHash('sha256').update(`version=${t.version}\n`);
  for (const [k, v] of t.names) h.update(`name ${k}=${v}\n`);
  for (const [k, v] of t.regions) h.update(`region ${k}=${v}\n`);
  return `${t.version}:${h.digest('hex').slice(0, 16)}`;
}

let digest: string | undefined;

/** This build's layout digest, computed once per process (on first use). */
export function layoutDigest(): string {
  return digest ??= digestLayout(layoutTables());
}
