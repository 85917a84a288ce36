/**
 * Parameter ranges: what values a scenario parameter may take, declared next to its default
 * (ScenarioDef.paramRanges) so every run — catalog or user file, `hunt`, `replay`, `shrink`,
 * `stress` — refuses a value the model cannot run before anything runs or is written.
 *
 * A range is `{ min, max }` (an integer in min..max, both inclusive; with `multipleOf: m`, only
 * the multiples of m among them) for a number parameter, or `{ oneOf: [...] }` (one of these
 * strings) for a string parameter. Boolean parameters need none. Two parameter names mean
 * something to the harness itself and have a range wherever a scenario declares none
 * (defaultRange): `kernel` and `pageBytes`.
 */
import { HarnessError } from '../errno/errors.js';

export interface IntRange { readonly min: number; readonly max: number; readonly multipleOf?: number }
export interface StringRange { readonly oneOf: readonly string[] }
export type ParamRange = IntRange | StringRange;

/** Ranges of some of the parameters of `P`. */
export type ParamRanges<P> = { readonly [K in keyof P]?: P[K] extends number ? IntRange : P[K] extends string ? StringRange : never };

/** The range of a `kernel` parameter (the dma-buf semantics of a run: the v3 posting or the
 *  merged series) wherever a scenario declares none. */
export const KERNEL_RANGE: StringRange = { oneOf: ['v3', 'final'] };

/** The range of a `pageBytes` parameter (the device-memory page size the stress campaign models,
 *  `--buffer-size` / 64 for stress-revoke) wherever a scenario declares none: whole kernel pages
 *  (4 KiB) up to a 2 MiB huge page, the rule `--buffer-size` is checked against. */
export const PAGE_BYTES_RANGE: IntRange = { min: 4096, max: 2 << 20, multipleOf: 4096 };

/**
 * The bytes one device memory may hold: one shared WebAssembly memory of at most 65536 64-KiB
 * pages (wasm32), which holds every physical page of the arena and one DMA buffer per actor,
 * each of pageBytes (shm/devmem.ts).
 */
export const DEVICE_MEMORY_MAX_BYTES = 65536 * 65536;

/** The range a parameter named `key` whose default is `def` has when its scenario declares none:
 *  KERNEL_RANGE for a string `kernel`, PAGE_BYTES_RANGE for a number `pageBytes`. */
export function defaultRange(key: string, def: unknown): ParamRange | undefined {
  if (key === 'kernel' && typeof def === 'string') return KERNEL_RANGE;
  if (key === 'pageBytes' && typeof def === 'number') return PAGE_BYTES_RANGE;
  return undefined;
}

/** The range of parameter `key`: the one `ranges` declares, else its defaultRange. */
export function paramRange(ranges: unknown, params: Readonly<Record<string, unknown>>, key: string): ParamRange | undefined {
  return (ranges as Readonly<Record<string, ParamRange>> | undefined)?.[key] ?? defaultRange(key, params[key]);
}

/** What `range` takes, in words: `an integer 1..8`, `a multiple of 4096 in 4096..8192`,
 *  `one of read|write`. */
export function rangeText(range: ParamRange): string {
  if ('oneOf' in range) return `one of ${range.oneOf.join('|')}`;
  return range.multipleOf === undefined ? `an integer ${range.min}..${range.max}` : `a multiple of ${range.multipleOf} in ${range.min}..${range.max}`;
}

/** Whether `value` is in `range`. */
export function inRange(range: ParamRange, value: unknown): boolean {
  if ('oneOf' in range) return typeof value === 'string' && range.oneOf.includes(value);
  if (!Number.isInteger(value) || (value as number) < range.min || (value as number) > range.max) return false;
  return range.multipleOf === undefined || (value as number) % range.multipleOf === 0;
}

/**
 * Check a scenario's `paramRanges` declaration against its `params` defaults: every key is a
 * parameter; a number parameter has `{ min, max }` (safe integers, min ≤ max; an optional
 * `multipleOf`, a positive safe integer), a string one
 * `{ oneOf }` (non-empty strings); the default is in its range. Throws
 * HarnessError(ERR_SCENARIO) `scenario NAME: paramRanges.KEY…: expected …`.
 */
export function checkRangeDecl(name: string, params: Readonly<Record<string, unknown>>, ranges: unknown): void {
  const bad = (field: string, expected: string): never => {
    throw new HarnessError('ERR_SCENARIO', `scenario ${name}: paramRanges${field}: expected ${expected}`);
  };
  if (typeof ranges !== 'object' || ranges === null || Array.isArray(ranges)) bad('', 'an object of parameter ranges');
  for (const [key, range] of Object.entries(ranges as Record<string, unknown>)) {
    if (!Object.hasOwn(params, key)) bad(`.${key}`, `a parameter of params (${Object.keys(params).join(', ') || 'none'})`);
    const def = params[key];
    if (typeof def === 'number') checkIntDecl(`.${key}`, range, bad);
    else if (typeof def === 'string') checkStringDecl(`.${key}`, range, bad);
    else bad(`.${key}`, 'no range: a boolean parameter takes true or false');
    if (!inRange(range as ParamRange, def)) bad(`.${key}`, `a range holding the default ${JSON.stringify(def)}, got ${rangeText(range as ParamRange)}`);
  }
}

/**
 * Check the parameters of `params` that mean something to the harness (defaultRange): a default
 * outside the range its scenario declares none for is refused (`params.pageBytes: expected …`);
 * a declared `pageBytes` range must hold device memory (`pages` physical pages plus a DMA buffer
 * per actor, at most MAX_ACTORS, each of its max, within DEVICE_MEMORY_MAX_BYTES) and start at
 * 1 or more. Throws HarnessError(ERR_SCENARIO) `scenario NAME: FIELD: expected …`.
 */
export function checkHarnessParams(name: string, params: Readonly<Record<string, unknown>>, ranges: unknown, pages: number, maxActors: number): void {
  const bad = (field: string, expected: string): never => {
    throw new HarnessError('ERR_SCENARIO', `scenario ${name}: ${field}: expected ${expected}`);
  };
  for (const [key, def] of Object.entries(params)) {
    const range = defaultRange(key, def);
    if (range === undefined || (ranges as Record<string, unknown> | undefined)?.[key] !== undefined) continue;
    if (!inRange(range, def)) bad(`params.${key}`, `${rangeText(range)} (or a paramRanges.${key} of its own), got ${JSON.stringify(def)}`);
  }
  const declared = (ranges as Readonly<Record<string, IntRange>> | undefined)?.pageBytes;
  if (declared === undefined || typeof params.pageBytes !== 'number') return;
  if (declared.min < 1) bad('paramRanges.pageBytes.min', `at least 1 (a page has bytes), got ${declared.min}`);
  const maxPage = Math.floor(DEVICE_MEMORY_MAX_BYTES / (pages + maxActors));
  if (declared.max > maxPage) {
    bad('paramRanges.pageBytes.max', `at most ${maxPage} (device memory holds ${pages} pages and ${maxActors} DMA buffers of pageBytes in ${DEVICE_MEMORY_MAX_BYTES} bytes), got ${declared.max}`);
  }
}

type Bad = (field: string, expected: string) => never;

function checkIntDecl(field: string, range: unknown, bad: Bad): void {
  const r = range as Partial<IntRange> | null;
  const keys = typeof r === 'object' && r !== null ? Object.keys(r).sort().join() : '';
  if (keys !== 'max,min' && keys !== 'max,min,multipleOf') bad(field, '{ min, max } or { min, max, multipleOf } for a number parameter');
  if (!Number.isSafeInteger(r!.min)) bad(`${field}.min`, `an integer, got ${JSON.stringify(r!.min)}`);
  if (!Number.isSafeInteger(r!.max) || r!.max! < r!.min!) bad(`${field}.max`, `an integer at least min (${r!.min}), got ${JSON.stringify(r!.max)}`);
  if (keys.endsWith('multipleOf') && !(Number.isSafeInteger(r!.multipleOf) && r!.multipleOf! >= 1)) {
    bad(`${field}.multipleOf`, `a positive integer, got ${JSON.stringify(r!.multipleOf)}`);
  }
}

function checkStringDecl(field: string, range: unknown, bad: Bad): void {
  const r = range as Partial<StringRange> | null;
  if (typeof r !== 'object' || r === null || Object.keys(r).join() !== 'oneOf') bad(field, '{ oneOf: [...] } for a string parameter');
  const list = r!.oneOf as unknown;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string')) bad(`${field}.oneOf`, 'a non-empty list of strings');
}
