/**
 * `defineModule`: a driver declared like a kernel module — `MODULE_LICENSE`, `MODULE_IMPORT_NS`
 * (one `importNs` entry each), a per-module `DEFAULT_SYMBOL_NAMESPACE` and its `EXPORT_SYMBOL*`
 * lines. `source` is the `import.meta.url` of the file that calls `defineModule`; a module built
 * from several files lists the others in `objects` (Kbuild's `<module>-objs`). The loader and
 * modpost read the symbols the module uses from all of them.
 *
 * Malformed definitions throw `HarnessError('ERR_SCENARIO')` with one line naming the module
 * and the field. Everything the kernel itself would reject at load time is left to `load_module`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../../errno/errors.js';
import {
  MODULE_NS_PREFIX, declareSymbolNames, type KernelSymbol, type License, type SymbolImpl,
} from './table.js';

export type ExportMacro =
  'EXPORT_SYMBOL' | 'EXPORT_SYMBOL_GPL' | 'EXPORT_SYMBOL_NS' | 'EXPORT_SYMBOL_NS_GPL'
  | 'EXPORT_SYMBOL_FOR_MODULES';

/** One export line. `ns` only with the _NS macros; `modules` only with FOR_MODULES. */
export interface ModuleExport {
  readonly macro: ExportMacro;
  readonly name: string;
  readonly impl: SymbolImpl;
  readonly ns?: string;
  readonly modules?: string;
}

/** What a module file passes to `defineModule`. */
export interface ModuleSpec {
  readonly name: string;
  readonly license: License;
  readonly importNs?: readonly string[];
  readonly defaultNamespace?: string;
  /** `import.meta.url` of the defining file (or an absolute path). */
  readonly source: string;
  /** The module's other source files (file URLs or absolute paths), as Kbuild's `<module>-objs`. */
  readonly objects?: readonly string[];
  readonly exports?: readonly ModuleExport[];
  /**
   * Symbols the module's code references weakly (C `extern ... __weak`): one that is not
   * exported leaves the module's table without it (reads `undefined`, the code tests it) instead
   * of failing the load; one that is exported is resolved and checked like any other. How a
   * driver built once calls whichever name its kernel version exports.
   */
  readonly weak?: readonly string[];
}

/** A validated, frozen module definition. */
export interface ModuleDef {
  readonly name: string;
  readonly license: License;
  readonly importNs: readonly string[];
  /** '' when none. */
  readonly defaultNamespace: string;
  readonly source: string;
  /** `source` as a file system path. */
  readonly sourcePath: string;
  /** Every source file of the module as a path: `sourcePath`, then `objects` in order. */
  readonly sourcePaths: readonly string[];
  readonly exports: readonly ModuleExport[];
  /** Weakly referenced symbol names (empty when none). */
  readonly weak: readonly string[];
}

const MACROS: ReadonlySet<string> = new Set([
  'EXPORT_SYMBOL', 'EXPORT_SYMBOL_GPL', 'EXPORT_SYMBOL_NS', 'EXPORT_SYMBOL_NS_GPL',
  'EXPORT_SYMBOL_FOR_MODULES',
]);
/** MODULE_NAME_LEN is 64 - sizeof(unsigned long) including the NUL. */
const MODULE_NAME_MAX = 55;
const MODNAME_RE = /^[A-Za-z0-9_-]+$/;
const C_IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function bad(mod: string, field: string, what: string): never {
  throw new HarnessError('ERR_SCENARIO', `module ${mod}: ${field} ${what}`);
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

function checkName(name: unknown): string {
  const shown = typeof name === 'string' ? name : String(name);
  if (typeof name !== 'string' || !MODNAME_RE.test(name) || name.length > MODULE_NAME_MAX) {
    bad(shown, 'name', `must be 1-${MODULE_NAME_MAX} letters, digits, '_' or '-'`);
  }
  return name;
}

function checkImportNs(mod: string, v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) bad(mod, 'importNs', 'must be an array of namespace strings');
  v.forEach((ns: unknown, i) => {
    if (!isNonEmptyString(ns)) bad(mod, `importNs[${i}]`, 'must be a non-empty string');
  });
  return [...(v as string[])];
}

function checkSource(mod: string, v: unknown, field = 'source'): string {
  if (!isNonEmptyString(v)) bad(mod, field, 'must be import.meta.url of the defining file');
  if (v.startsWith('file:')) return fileURLToPath(v);
  if (!isAbsolute(v)) bad(mod, field, 'must be a file: URL or an absolute path');
  return v;
}

function checkObjects(mod: string, v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) bad(mod, 'objects', 'must be an array of file URLs');
  return v.map((o: unknown, i) => checkSource(mod, o, `objects[${i}]`));
}

function checkWeak(mod: string, v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) bad(mod, 'weak', 'must be an array of symbol names');
  v.forEach((n: unknown, i) => {
    if (typeof n !== 'string' || !C_IDENT_RE.test(n)) bad(mod, `weak[${i}]`, 'must be a C identifier');
  });
  return [...(v as string[])];
}

function checkExport(mod: string, e: unknown, i: number): ModuleExport {
  const f = `exports[${i}]`;
  if (typeof e !== 'object' || e === null) bad(mod, f, 'must be an object');
  const x = e as Record<string, unknown>;
  if (typeof x.macro !== 'string' || !MACROS.has(x.macro)) bad(mod, `${f}.macro`, 'is not an EXPORT_SYMBOL* macro');
  if (typeof x.name !== 'string' || !C_IDENT_RE.test(x.name)) bad(mod, `${f}.name`, 'must be a C identifier');
  if (typeof x.impl !== 'function') bad(mod, `${f}.impl`, 'must be a function');
  const wantsNs = x.macro === 'EXPORT_SYMBOL_NS' || x.macro === 'EXPORT_SYMBOL_NS_GPL';
  const wantsMods = x.macro === 'EXPORT_SYMBOL_FOR_MODULES';
  if (wantsNs ? !isNonEmptyString(x.ns) : x.ns !== undefined) {
    bad(mod, `${f}.ns`, wantsNs ? 'must be a non-empty string' : `is only for EXPORT_SYMBOL_NS[_GPL]`);
  }
  if (wantsMods ? !isNonEmptyString(x.modules) : x.modules !== undefined) {
    bad(mod, `${f}.modules`, wantsMods ? 'must be a non-empty string' : 'is only for EXPORT_SYMBOL_FOR_MODULES');
  }
  return Object.freeze({ ...x }) as unknown as ModuleExport;
}

function checkExports(mod: string, v: unknown): ModuleExport[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) bad(mod, 'exports', 'must be an array');
  const out = v.map((e: unknown, i) => checkExport(mod, e, i));
  const seen = new Set<string>();
  out.forEach((e, i) => {
    if (seen.has(e.name)) bad(mod, `exports[${i}].name`, `'${e.name}' exported twice`);
    seen.add(e.name);
  });
  return out;
}

/** Validates and freezes a module definition; records its export names for the analysis. */
export function defineModule(spec: ModuleSpec): ModuleDef {
  if (typeof spec !== 'object' || spec === null) bad('?', 'definition', 'must be an object');
  const name = checkName(spec.name);
  if (!isNonEmptyString(spec.license)) bad(name, 'license', 'must be a non-empty MODULE_LICENSE string');
  const dns: unknown = spec.defaultNamespace;
  if (dns !== undefined && typeof dns !== 'string') bad(name, 'defaultNamespace', 'must be a string');
  const exports = checkExports(name, spec.exports);
  declareSymbolNames(exports.map((e) => e.name));
  const sourcePath = checkSource(name, spec.source);
  return Object.freeze({
    name,
    license: spec.license,
    importNs: Object.freeze(checkImportNs(name, spec.importNs)),
    defaultNamespace: dns ?? '',
    source: spec.source,
    sourcePath,
    sourcePaths: Object.freeze([sourcePath, ...checkObjects(name, spec.objects)]),
    exports: Object.freeze(exports),
    weak: Object.freeze(checkWeak(name, spec.weak)),
  });
}

/** The namespace an export line gets: _NS wins, FOR_MODULES is `module:`, else the default. */
export function exportNamespace(e: ModuleExport, defaultNs: string): string {
  if (e.macro === 'EXPORT_SYMBOL_FOR_MODULES') return MODULE_NS_PREFIX + (e.modules ?? '');
  if (e.macro === 'EXPORT_SYMBOL_NS' || e.macro === 'EXPORT_SYMBOL_NS_GPL') return e.ns ?? '';
  return defaultNs;
}

/** The symbols a module exports once loaded (owner = module name, default namespace applied). */
export function moduleSymbols(mod: ModuleDef): KernelSymbol[] {
  return mod.exports.map((e) => ({
    name: e.name,
    impl: e.impl,
    gplOnly: e.macro !== 'EXPORT_SYMBOL' && e.macro !== 'EXPORT_SYMBOL_NS',
    ns: exportNamespace(e, mod.defaultNamespace),
    owner: mod.name,
  }));
}

/**
 * The TypeScript file a compiled module came from (via its `.js.map` next to it), for tools
 * that edit sources (nsdeps); `sourcePath` itself when there is no map or it names no file.
 */
export function moduleSourceFile(mod: ModuleDef): string {
  const map = `${mod.sourcePath}.map`;
  if (!mod.sourcePath.endsWith('.js') || !existsSync(map)) return mod.sourcePath;
  try {
    const parsed = JSON.parse(readFileSync(map, 'utf8')) as { sources?: unknown; sourceRoot?: unknown };
    const first = Array.isArray(parsed.sources) ? parsed.sources[0] : undefined;
    if (typeof first !== 'string') return mod.sourcePath;
    const root = typeof parsed.sourceRoot === 'string' ? parsed.sourceRoot : '';
    const ts = resolve(dirname(map), root, first);
    return existsSync(ts) ? ts : mod.sourcePath;
  } catch {
    return mod.sourcePath;
  }
}
