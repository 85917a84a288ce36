/**
 * The module loader (`kernel/module/main.c` `load_module`), reduced to what decides whether a
 * module may use what it uses, in the kernel's order:
 *
 * 1. a module of that name is already loaded → -EEXIST;
 * 2. license taint (`module_license_taint_check`): "module license '...' taints kernel.";
 * 3. `setup_modinfo`: an `import_ns` starting with `module:` → -EPERM;
 * 4. `simplify_symbols` → `resolve_symbol` for every symbol the module's source uses (LANG=C
 *    order): unknown (a name only another kernel version exports included), or GPL-only from a
 *    GPL-incompatible (tainted) module → -ENOENT, except for a weak reference (left unresolved);
 *    `inherit_taint`; `verify_namespace_is_imported` → -EINVAL, or only a warning line with
 *    `allowMissingNamespaceImports`. Every failing symbol logs "Unknown symbol ... (err N)" and
 *    the last error is returned;
 * 5. `verify_exported_symbols`: a name the module exports already exists → -ENOEXEC;
 * 6. `ref_module` for each module whose export it resolved: a reference on that module and a
 *    use record, so `delete_module` of it fails -EWOULDBLOCK until this module is deleted.
 *
 * Failures are return values plus log lines, never exceptions. On success the module's exports
 * join the table and the result holds the resolved symbols: the only API the module's code gets,
 * as the table `symbols(t, THIS_MODULE)` returns (link.ts) or bound to one task (`bindSymbols`).
 */
import { EAGAIN, EEXIST, EINVAL, ENOENT, ENOEXEC, EPERM } from '../../errno/errno.js';
import type { Task } from '../task.js';
import { moduleSymbols, type ModuleDef } from './define.js';
import { moduleUsedSymbols } from './modpost.js';
import { verify_module_namespace } from './namespace.js';
import {
  MODULE_NS_PREFIX, VMLINUX, isGplCompatible, type KernelSymbol, type SymbolTable,
} from './table.js';

export { EEXIST };

export interface LoadOptions {
  /** CONFIG_MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS=y: a missing import only warns. */
  readonly allowMissingNamespaceImports?: boolean;
}

/** A loaded module: what it resolved and what it exported. */
export interface LoadedModule {
  readonly name: string;
  readonly def: ModuleDef;
  /** The symbols the module uses, resolved (name → export). */
  readonly symbols: ReadonlyMap<string, KernelSymbol>;
  /** Its own exports as added to the table. */
  readonly exports: readonly KernelSymbol[];
  /** TAINT_PROPRIETARY_MODULE (own license, or inherited). */
  readonly proprietary: boolean;
}

export interface LoadResult {
  /** 0 or -errno. */
  readonly ret: number;
  /** Kernel log lines, `<mod>: ...`. */
  readonly log: readonly string[];
  readonly symbols?: LoadedModule;
}

/** Per-load resolver state (`struct module` fields the checks read and write). */
interface Resolver {
  readonly mod: ModuleDef;
  readonly table: SymbolTable;
  readonly allow: boolean;
  readonly log: string[];
  proprietary: boolean;
  usingGplOnly: boolean;
}

/** `module_name(owner)`: the core is "kernel". */
function ownerName(owner: string): string {
  return owner === VMLINUX ? 'kernel' : owner;
}

/** `inherit_taint()`: false when the symbol must be treated as missing. */
function inheritTaint(r: Resolver, sym: KernelSymbol): boolean {
  const owner = r.table.module(sym.owner);
  if (owner === undefined || !owner.proprietary) return true;
  if (r.usingGplOnly) {
    r.log.push(`${r.mod.name}: module using GPL-only symbols uses symbols ${sym.name} from proprietary module ${owner.name}.`);
    return false;
  }
  if (!r.proprietary) {
    r.log.push(`${r.mod.name}: module uses symbols ${sym.name} from proprietary module ${owner.name}, inheriting taint.`);
    r.proprietary = true;
  }
  return true;
}

/** `verify_namespace_is_imported()`: 0 or -EINVAL. */
function verifyNamespace(r: Resolver, sym: KernelSymbol): number {
  if (sym.ns === '' || verify_module_namespace(sym.ns, r.mod.name)) return 0;
  if (r.mod.importNs.includes(sym.ns)) return 0;
  r.log.push(`${r.mod.name}: module uses symbol (${sym.name}) from namespace ${sym.ns}, but does not import it.`);
  return r.allow ? 0 : -EINVAL;
}

/** `resolve_symbol()`: the export, or a negative errno. */
function resolveSymbol(r: Resolver, name: string): KernelSymbol | number {
  const sym = r.table.lookup(name);
  if (sym === undefined || (sym.gplOnly && r.proprietary)) return -ENOENT;
  if (sym.gplOnly) r.usingGplOnly = true;
  if (!inheritTaint(r, sym)) return -ENOENT;
  const err = verifyNamespace(r, sym);
  return err !== 0 ? err : sym;
}

/**
 * `simplify_symbols()`: resolves every used symbol; returns the last error or 0. A weak
 * reference that finds nothing (-ENOENT: not exported, or invisible to this module) is left
 * unresolved without a log line ("Ok if weak"); any other failure of a weak one still counts.
 */
function simplifySymbols(r: Resolver, resolved: Map<string, KernelSymbol>): number {
  let ret = 0;
  for (const name of moduleUsedSymbols(r.mod, r.table)) {
    const got = resolveSymbol(r, name);
    if (got === -ENOENT && r.mod.weak.includes(name)) continue;
    if (typeof got === 'number') {
      ret = got;
      r.log.push(`${r.mod.name}: Unknown symbol ${name} (err ${got})`);
    } else {
      resolved.set(name, got);
    }
  }
  return ret;
}

/** `setup_modinfo()`: module namespaces are implicit and cannot be imported. */
function setupModinfo(r: Resolver): number {
  const bad = r.mod.importNs.find((ns) => ns.startsWith(MODULE_NS_PREFIX));
  if (bad === undefined) return 0;
  r.log.push(`${r.mod.name}: module tries to import module namespace: ${bad}`);
  return -EPERM;
}

/** `module_license_taint_check()`; the kernel-wide taint stays even if the load fails. */
function licenseTaint(r: Resolver): void {
  if (!r.proprietary) return;
  if (!r.table.taintedProprietary) {
    r.log.push(`${r.mod.name}: module license '${r.mod.license}' taints kernel.`);
  }
  r.table.taintedProprietary = true;
}

/** `verify_exported_symbols()`: 0 or -ENOEXEC. */
function verifyExports(r: Resolver, exports: readonly KernelSymbol[]): number {
  for (const s of exports) {
    const prev = r.table.lookup(s.name);
    if (prev !== undefined) {
      r.log.push(`${r.mod.name}: exports duplicate symbol ${s.name} (owned by ${ownerName(prev.owner)})`);
      return -ENOEXEC;
    }
  }
  return 0;
}

/**
 * Loads `mod` into `table`: 0 with `symbols` set, or -EEXIST/-EPERM/-ENOENT/-EINVAL/-ENOEXEC
 * with the kernel's log lines. Only success changes the table (its exports and the module
 * record), apart from the kernel-wide proprietary taint.
 */
export function load_module(mod: ModuleDef, table: SymbolTable, opts: LoadOptions = {}): LoadResult {
  const log: string[] = [];
  if (table.module(mod.name) !== undefined) return { ret: -EEXIST, log };
  const r: Resolver = {
    mod, table, log, allow: opts.allowMissingNamespaceImports === true,
    proprietary: !isGplCompatible(mod.license), usingGplOnly: false,
  };
  licenseTaint(r);
  const resolved = new Map<string, KernelSymbol>();
  const exports = moduleSymbols(mod);
  const ret = setupModinfo(r) || simplifySymbols(r, resolved) || verifyExports(r, exports);
  if (ret !== 0) return { ret, log };
  const added = exports.map((s) => table.add(s));
  table.addModule({ name: mod.name, proprietary: r.proprietary });
  for (const sym of resolved.values()) table.refModule(mod.name, sym.owner);
  const loaded: LoadedModule = Object.freeze({
    name: mod.name, def: mod, symbols: resolved, exports: Object.freeze(added), proprietary: r.proprietary,
  });
  return { ret: 0, log, symbols: loaded };
}

/**
 * `delete_module`: removes a loaded module's exports and record, dropping the references its
 * uses held. 0; -ENOENT if not loaded; -EWOULDBLOCK (== -EAGAIN) while other loaded modules use
 * its exports ("Other modules depend on us": `module_holders` names them, rmmod's "in use by"),
 * or while references are held on it (`try_stop_module`), e.g. a `symbol_get` not yet put.
 */
export function delete_module(table: SymbolTable, name: string): number {
  const info = table.module(name);
  if (info === undefined) return -ENOENT;
  if (table.holders(info.name).length > 0) return -EAGAIN;
  if (table.refcount(info.name) > 0) return -EAGAIN;
  table.removeOwner(info.name);
  return 0;
}

/** The loaded modules that use module `name`'s exports (its holders), sorted; [] if none. */
export function module_holders(table: SymbolTable, name: string): string[] {
  return table.holders(name);
}

/**
 * `module_refcount(mod)`: references held on loaded module `name` — one per module using its
 * exports (ref_module) plus every try_module_get / symbol_get not yet put; -ENOENT if not loaded.
 */
export function module_refcount(table: SymbolTable, name: string): number {
  return table.module(name) === undefined ? -ENOENT : table.refcount(name);
}

/**
 * `symbol_get(name)` (`__symbol_get`): a GPL-only export looked up by name, with no namespace
 * check and no static use, taking a reference on the exporting module (`strong_try_module_get`;
 * the core has none to take), which `symbol_put` drops. null (and "failing symbol_get of
 * non-GPLONLY symbol" for a non-GPL export) else, with no reference taken.
 */
export function symbol_get(table: SymbolTable, name: string, log?: string[]): KernelSymbol | null {
  const sym = table.lookup(name);
  if (sym === undefined) return null;
  if (!sym.gplOnly) {
    log?.push(`failing symbol_get of non-GPLONLY symbol ${name}.`);
    return null;
  }
  if (sym.owner !== VMLINUX) table.addRef(sym.owner, 1);
  return sym;
}

/**
 * `symbol_put(name)` (`__symbol_put`): drops the module reference `symbol_get(name)` took. 0, or
 * -ENOENT when nothing exports `name` (the kernel BUGs there).
 */
export function symbol_put(table: SymbolTable, name: string): number {
  const sym = table.lookup(name);
  if (sym === undefined) return -ENOENT;
  if (sym.owner !== VMLINUX) table.addRef(sym.owner, -1);
  return 0;
}

/** A resolved symbol bound to a task: `impl(t, ...args)`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BoundSymbol = (...args: any[]) => any;
/** The API an actor of a module sees: exactly its resolved symbols, nothing else. */
export type BoundSymbols = Readonly<Record<string, BoundSymbol>>;

/**
 * `T`'s task-first functions with the task bound, for typing an actor's view, e.g.
 * `bindSymbols<Bound<Pick<typeof api, 'dma_buf_get'>>>(loaded, t)`.
 */
export type Bound<T> = {
  readonly [K in keyof T]: T[K] extends (t: Task, ...args: infer A) => infer R ? (...args: A) => R : never;
};

const bound = new WeakMap<LoadedModule, WeakMap<Task, BoundSymbols>>();

/**
 * The module's resolved symbols bound to `t` — a frozen null-prototype object whose properties
 * are exactly the symbols the module resolved (anything else reads `undefined`). Built once per
 * (module, task) and cached. `T` may name the symbols' types; every name the module's source
 * uses is present once the load succeeded (that is how the used set is found).
 */
export function bindSymbols<T extends object = BoundSymbols>(loaded: LoadedModule, t: Task): T {
  let perTask = bound.get(loaded);
  if (perTask === undefined) {
    perTask = new WeakMap();
    bound.set(loaded, perTask);
  }
  const hit = perTask.get(t);
  if (hit !== undefined) return hit as T;
  const obj = Object.create(null) as Record<string, BoundSymbol>;
  for (const [name, sym] of loaded.symbols) {
    const impl = sym.impl;
    obj[name] = (...args: unknown[]) => impl(t, ...args);
  }
  const frozen = Object.freeze(obj);
  perTask.set(t, frozen);
  return frozen as T;
}
