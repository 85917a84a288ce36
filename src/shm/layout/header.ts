/**
 * The header region and the geometry it records: written once by the creator, read by every
 * attacher to validate. The geometry sizes every other region (arena_map.ts).
 */

import { assertWordsFit } from './words_fit.js';

export const ARENA_MAGIC = 0x444d4142; // "DMAB"
/** Bump when any offset or stride of the layout (any file of shm/layout/) changes: attaching to
 *  another version is refused. */
export const LAYOUT_VERSION = 31;

/** Sizes of the tables. Chosen per scenario; identical in every thread attached to an arena. */
export interface Geometry {
  readonly actors: number;
  readonly mutexes: number;
  readonly classes: number;
  readonly ctxs: number;
  readonly fences: number;
  readonly callbacks: number;
  readonly resvs: number;
  /** Fence slots per dma_resv: the most fences one holds (its `max_fences` may round above). */
  readonly resvSlots: number;
  /** Events per actor trace ring. */
  readonly traceEvents: number;
  /** Decision log capacity (also the replay input capacity). */
  readonly decisions: number;
  readonly findings: number;
  /** Scenario-owned shared words (flags and counters actors and callbacks share). */
  readonly userWords: number;
  readonly dmabufs: number;
  readonly attachments: number;
  /** Physical pages of device/system memory (page 0 is the nirvana page). */
  readonly pages: number;
  /** IOMMU entries (one DMA address page each). */
  readonly iovas: number;
  readonly devices: number;
  /** DMA engine job slots. */
  readonly jobs: number;
  /** Driver-private words (kzalloc'd driver state: krefs, completions, flags). */
  readonly privWords: number;
  /** Lock classes the lock-dependency validator tracks (its matrix is classes²). */
  readonly lockClasses: number;
  /** Modules a scenario may load (the module table: one record each, modules.ts). */
  readonly modules: number;
}

export const DEFAULT_GEOMETRY: Geometry = {
  actors: 8, mutexes: 64, classes: 4, ctxs: 32, fences: 256, callbacks: 64, resvs: 32,
  resvSlots: 16, traceEvents: 1024, decisions: 1 << 16, findings: 32, userWords: 64,
  dmabufs: 16, attachments: 32, pages: 64, iovas: 128, devices: 8, jobs: 32, privWords: 256,
  lockClasses: 64, modules: 16,
};

/** Geometry limits: an id must fit the 24-bit object field of a packed op. */
export const MAX_ACTORS = 31;
export const MAX_OBJECTS = 1 << 24;

// Header: written once by the creator, read by every attacher to validate.
export const H_MAGIC = 0;
export const H_VERSION = 1;
export const H_WORDS = 2;
/** Geometry fields follow in `GEOMETRY_KEYS` order. */
export const H_GEOMETRY = 3;
export const GEOMETRY_KEYS: readonly (keyof Geometry)[] = [
  'actors', 'mutexes', 'classes', 'ctxs', 'fences', 'callbacks', 'resvs', 'resvSlots',
  'traceEvents', 'decisions', 'findings', 'userWords', 'dmabufs', 'attachments', 'pages', 'iovas',
  'devices', 'jobs', 'privWords', 'lockClasses', 'modules',
];
export const HEADER_WORDS = 32;
assertWordsFit('the geometry', H_GEOMETRY, GEOMETRY_KEYS.length, HEADER_WORDS, 'raise HEADER_WORDS');
