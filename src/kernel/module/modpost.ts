/**
 * modpost (`scripts/mod/modpost.c`) for harness modules: which exported symbols a module's
 * source uses (its "undefined symbols", found by walking the TypeScript AST), and the
 * build-time checks over a set of modules, with the kernel's message texts.
 */
import { modpost_verify_module_namespace } from './namespace.js';
import { fileIdentifiers } from './parse.js';
import {
  MODULE_NS_PREFIX, SymbolTable, cmpC, isGplCompatible, knownSymbolNames, koName,
} from './table.js';
import { moduleSymbols, type ModuleDef } from './define.js';
import { KERNEL_SYMBOLS } from './kernel_exports.js';

export type ModpostLevel = 'ERROR' | 'WARNING';

/** One modpost diagnostic; `text` is the kernel's message without the "LEVEL: modpost: " prefix. */
export interface ModpostMessage {
  readonly level: ModpostLevel;
  readonly module: string;
  readonly text: string;
}

/** One line of `modules.nsdeps`: a module and the namespaces it should import. */
export interface NsdepsEntry {
  readonly module: string;
  readonly sourcePath: string;
  /** Sorted, unique, never `module:` namespaces (those cannot be imported). */
  readonly namespaces: readonly string[];
}

export interface ModpostResult {
  readonly messages: readonly ModpostMessage[];
  readonly nsdeps: readonly NsdepsEntry[];
}

export interface ModpostOptions {
  /** `-N` (CONFIG_MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS or a nsdeps run): ERROR → WARNING. */
  readonly allowMissingNamespaceImports?: boolean;
}

/**
 * The exported symbols the module at `sourcePath` uses: every Identifier (a plain name such as
 * an imported `dma_buf_get`, or a property name as in `k.dma_buf_get(...)`) whose text is the
 * name of a symbol in `table` (or in the given name set), excluding `ownExports`. Works on .ts
 * and .js. Sorted (LANG=C), unique.
 */
export function usedSymbols(sourcePath: string, table: SymbolTable | ReadonlySet<string>,
  ownExports: Iterable<string> = []): string[] {
  const has = table instanceof SymbolTable
    ? (n: string) => table.lookup(n) !== undefined
    : (n: string) => table.has(n);
  return usedWhere(sourcePath, has, ownExports);
}

/** The files' identifiers for which `has` holds, minus `ownExports`; sorted, unique. */
function usedWhere(sourcePaths: string | readonly string[], has: (name: string) => boolean,
  ownExports: Iterable<string>): string[] {
  const own = new Set(ownExports);
  const out = new Set<string>();
  for (const path of typeof sourcePaths === 'string' ? [sourcePaths] : sourcePaths) {
    for (const id of fileIdentifiers(path)) if (has(id) && !own.has(id)) out.add(id);
  }
  return [...out].sort(cmpC);
}

/**
 * The loader's and modpost's view of a module's undefined symbols: names exported by `table`,
 * by the core (`KERNEL_SYMBOLS`) or declared by any `defineModule`, used in any of the module's
 * source files (`sourcePaths`), minus the module's own exports. A name found here but missing
 * from `table` is an unknown symbol.
 */
export function moduleUsedSymbols(mod: ModuleDef, table: SymbolTable): string[] {
  const declared = knownSymbolNames();
  const has = (n: string) => table.lookup(n) !== undefined || KERNEL_SYMBOLS.lookup(n) !== undefined
    || declared.has(n);
  return usedWhere(mod.sourcePaths, has, mod.exports.map((e) => e.name));
}

/** `ERROR: modpost: <text>` / `WARNING: modpost: <text>`, as modpost prints it. */
export function formatModpost(m: ModpostMessage): string {
  return `${m.level}: modpost: ${m.text}`;
}

/** `modules.nsdeps` lines: `<source>: NS1 NS2`. */
export function formatNsdeps(entries: readonly NsdepsEntry[]): string[] {
  return entries.map((e) => `${e.sourcePath}: ${e.namespaces.join(' ')}`);
}

type Emit = (level: ModpostLevel, module: string, text: string) => void;

/** Adds every module's exports to `work` (reporting "exported twice") and checks import_ns. */
function collectExports(mods: readonly ModuleDef[], work: SymbolTable, emit: Emit): void {
  for (const mod of mods) {
    for (const ns of mod.importNs) {
      if (ns.startsWith(MODULE_NS_PREFIX)) {
        emit('ERROR', mod.name, `${mod.name}: explicitly importing namespace "${ns}" is not allowed.`);
      }
    }
    for (const sym of moduleSymbols(mod)) {
      const prev = work.lookup(sym.name);
      if (prev !== undefined) {
        emit('ERROR', mod.name, `${mod.name}: '${sym.name}' exported twice. Previous export was in ${koName(prev.owner)}`);
      } else {
        work.add(sym);
      }
    }
  }
}

/** `check_exports()` for one module; returns its missing (importable) namespaces. */
function checkExports(mod: ModuleDef, work: SymbolTable, allow: boolean, emit: Emit): string[] {
  const missing = new Set<string>();
  const gplOk = isGplCompatible(mod.license);
  for (const name of moduleUsedSymbols(mod, work)) {
    const exp = work.lookup(name);
    if (exp === undefined) {
      if (!mod.weak.includes(name)) emit('ERROR', mod.name, `"${name}" [${mod.name}.ko] undefined!`);
      continue;
    }
    if (exp.ns !== '' && !modpost_verify_module_namespace(exp.ns, mod.name)
      && !mod.importNs.includes(exp.ns)) {
      emit(allow ? 'WARNING' : 'ERROR', mod.name,
        `module ${mod.name} uses symbol ${name} from namespace ${exp.ns}, but does not import it.`);
      if (!exp.ns.startsWith(MODULE_NS_PREFIX)) missing.add(exp.ns);
    }
    if (!gplOk && exp.gplOnly) {
      emit('ERROR', mod.name, `GPL-incompatible module ${mod.name}.ko uses GPL-only symbol '${name}'`);
    }
  }
  return [...missing].sort(cmpC);
}

/**
 * Runs modpost over `mods` against `table` (not modified: the modules' own exports are added to
 * a copy first, as modpost reads every module's exports before checking). Messages come per
 * module in order, per symbol in LANG=C order: undefined symbol (not for a weak reference), missing
 * namespace import (ERROR, or WARNING with `allowMissingNamespaceImports`), GPL-only symbol used by
 * a GPL-incompatible module. `nsdeps` lists, per module, the namespaces it should import.
 */
export function modpost(mods: readonly ModuleDef[], table: SymbolTable,
  opts: ModpostOptions = {}): ModpostResult {
  const messages: ModpostMessage[] = [];
  const emit: Emit = (level, module, text) => { messages.push({ level, module, text }); };
  const work = table.clone();
  collectExports(mods, work, emit);
  const nsdeps: NsdepsEntry[] = [];
  for (const mod of mods) {
    const namespaces = checkExports(mod, work, opts.allowMissingNamespaceImports === true, emit);
    if (namespaces.length > 0) nsdeps.push({ module: mod.name, sourcePath: mod.sourcePath, namespaces });
  }
  return { messages, nsdeps };
}
