/**
 * The kernel's exported-symbol table (`__ksymtab`, `__ksymtab_gpl`, plus each loaded module's
 * tables) and the `EXPORT_SYMBOL*` macros of `include/linux/export.h`.
 *
 * A symbol carries its license tag (GPL-only or not), its namespace string ('' = none,
 * `'DMA_BUF'`, or `'module:<pattern list>'` for `EXPORT_SYMBOL_FOR_MODULES`) and its owner
 * (`'vmlinux'` for the core, else the exporting module's name). Exporting a name twice is an
 * error, as modpost's "exported twice".
 */
import { HarnessError } from '../../errno/errors.js';
import type { Task } from '../task.js';

/** A `MODULE_LICENSE()` string: 'GPL', 'GPL v2', 'Dual MIT/GPL', 'Proprietary', ... */
export type License = string;

/** The exact list of `license_is_gpl_compatible()` (include/linux/license.h). */
const GPL_COMPATIBLE: ReadonlySet<string> = new Set([
  'GPL', 'GPL v2', 'GPL and additional rights', 'Dual BSD/GPL', 'Dual MIT/GPL', 'Dual MPL/GPL',
]);

/** `license_is_gpl_compatible(license)`: exact string match against the kernel's list. */
export function isGplCompatible(license: License): boolean {
  return GPL_COMPATIBLE.has(license);
}

/** Owner name of symbols exported by the core kernel image. */
export const VMLINUX = 'vmlinux';
/** Prefix of the implicit module namespaces made by `EXPORT_SYMBOL_FOR_MODULES`. */
export const MODULE_NS_PREFIX = 'module:';

/** Implementation of a kernel API function: takes the calling task first. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SymbolImpl = (t: Task, ...args: any[]) => unknown;

/** One `struct kernel_symbol` plus its license section and owner. */
export interface KernelSymbol {
  readonly name: string;
  readonly impl: SymbolImpl;
  readonly gplOnly: boolean;
  /** '' = no namespace, e.g. 'DMA_BUF', or 'module:ib_uverbs,kvm-*'. */
  readonly ns: string;
  /** Exporting module name; 'vmlinux' for the core. */
  readonly owner: string;
}

/** What the loader remembers of a loaded module (for taint inheritance and -EEXIST). */
export interface LoadedModuleInfo {
  readonly name: string;
  /** TAINT_PROPRIETARY_MODULE: license not GPL-compatible, or taint inherited. */
  readonly proprietary: boolean;
}

/** Every export name declared by a `defineModule` call in this thread. */
const DECLARED_NAMES = new Set<string>();

/**
 * Export names declared by module definitions (loaded or not) and by every kernel version's
 * export table (dmabuf_exports.ts: a name only the v3 posting or only the merged series exports).
 * With the loading table's and the core's names, they are what the loader and modpost look for in
 * a module's source, so a module using an export of a module that is not loaded, or a name the
 * running kernel version does not export, gets "Unknown symbol", as in the kernel.
 * Like C symbols, export names are global: a module whose source contains an identifier equal
 * to another module's export name uses that export.
 */
export function knownSymbolNames(): ReadonlySet<string> {
  return DECLARED_NAMES;
}

/** Records export names declared by a module definition (before it is loaded) or a kernel
 *  version. */
export function declareSymbolNames(names: Iterable<string>): void {
  for (const n of names) DECLARED_NAMES.add(n);
}

/** The kernel's view of exported symbols and loaded modules. Not thread-shared: one per thread. */
export class SymbolTable {
  private readonly syms = new Map<string, KernelSymbol>();
  private readonly mods = new Map<string, LoadedModuleInfo>();
  /** Module references (`try_module_get`) by normalised module name; absent = 0. */
  private readonly refs = new Map<string, number>();
  /** `module_use` records: user → the modules whose exports it linked (its target_list). */
  private readonly uses = new Map<string, Set<string>>();
  /** Set once a proprietary module was loaded (the kernel-wide taint flag P). */
  taintedProprietary = false;

  /** Adds a symbol. Throws ERR_SCENARIO when the name is already exported ("exported twice"). */
  add(sym: KernelSymbol): KernelSymbol {
    const prev = this.syms.get(sym.name);
    if (prev !== undefined) {
      throw new HarnessError('ERR_SCENARIO',
        `${sym.owner}: '${sym.name}' exported twice. Previous export was in ${koName(prev.owner)}`);
    }
    const frozen = Object.freeze({ ...sym });
    this.syms.set(sym.name, frozen);
    return frozen;
  }

  /** The export of `name`, or undefined. */
  lookup(name: string): KernelSymbol | undefined {
    return this.syms.get(name);
  }

  /** All exported names, sorted (LANG=C). */
  names(): string[] {
    return [...this.syms.keys()].sort(cmpC);
  }

  /**
   * Removes every symbol owned by `owner` and forgets the module (delete_module), dropping the
   * references its uses held on other modules (module_unload_free).
   */
  removeOwner(owner: string): void {
    const key = normalizeModname(owner);
    for (const [n, s] of this.syms) if (s.owner === owner) this.syms.delete(n);
    for (const target of this.uses.get(key) ?? []) this.addRef(target, -1);
    this.uses.delete(key);
    this.mods.delete(key);
    this.refs.delete(key);
  }

  /**
   * `ref_module(user, target)`: `user` linked an export of module `target`; the first use takes a
   * reference on `target` and records the use. Nothing for the core or for the module itself.
   */
  refModule(user: string, target: string): void {
    const u = normalizeModname(user);
    const tg = normalizeModname(target);
    if (target === VMLINUX || u === tg) return;
    const set = this.uses.get(u) ?? new Set<string>();
    if (set.has(tg)) return;
    set.add(tg);
    this.uses.set(u, set);
    this.addRef(tg, 1);
  }

  /** Loaded modules using module `name`'s exports (`/sys/module/<name>/holders`), sorted. */
  holders(name: string): string[] {
    const key = normalizeModname(name);
    return [...this.uses].filter(([, targets]) => targets.has(key)).map(([u]) => u).sort(cmpC);
  }

  /** References held on loaded module `name` (0 when none or not loaded). */
  refcount(name: string): number {
    return this.refs.get(normalizeModname(name)) ?? 0;
  }

  /** Adds `delta` (+1 get, -1 put) to module `name`'s references; never below 0. */
  addRef(name: string, delta: number): void {
    const key = normalizeModname(name);
    this.refs.set(key, Math.max(0, (this.refs.get(key) ?? 0) + delta));
  }

  /** Records a loaded module. */
  addModule(info: LoadedModuleInfo): void {
    this.mods.set(normalizeModname(info.name), Object.freeze({ ...info }));
  }

  /** The loaded module of that name ('-' and '_' are the same), or undefined. */
  module(name: string): LoadedModuleInfo | undefined {
    return this.mods.get(normalizeModname(name));
  }

  /** An independent copy (symbols, loaded modules, their references and uses, taint). */
  clone(): SymbolTable {
    const c = new SymbolTable();
    for (const [n, s] of this.syms) c.syms.set(n, s);
    for (const [n, m] of this.mods) c.mods.set(n, m);
    for (const [n, r] of this.refs) c.refs.set(n, r);
    for (const [n, u] of this.uses) c.uses.set(n, new Set(u));
    c.taintedProprietary = this.taintedProprietary;
    return c;
  }
}

/** Module file name as modpost prints it: vmlinux has no `.ko`. */
export function koName(owner: string): string {
  return owner === VMLINUX ? VMLINUX : `${owner}.ko`;
}

/** KBUILD_MODNAME normalisation: `-` becomes `_`. */
export function normalizeModname(name: string): string {
  return name.replace(/-/g, '_');
}

/** strcmp order (LANG=C sort). */
export function cmpC(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function exportSym(table: SymbolTable, owner: string, name: string, impl: SymbolImpl,
  gplOnly: boolean, ns: string): KernelSymbol {
  return table.add({ name, impl, gplOnly, ns, owner });
}

/** `EXPORT_SYMBOL(name)`: any license; namespace = the default namespace if given, else none. */
export function EXPORT_SYMBOL(table: SymbolTable, owner: string, name: string, impl: SymbolImpl,
  defaultNs = ''): KernelSymbol {
  return exportSym(table, owner, name, impl, false, defaultNs);
}

/** `EXPORT_SYMBOL_GPL(name)`: GPL-only; namespace = the default namespace if given. */
export function EXPORT_SYMBOL_GPL(table: SymbolTable, owner: string, name: string,
  impl: SymbolImpl, defaultNs = ''): KernelSymbol {
  return exportSym(table, owner, name, impl, true, defaultNs);
}

/** `EXPORT_SYMBOL_NS(name, ns)`: any license; `ns` overrides any default namespace. */
export function EXPORT_SYMBOL_NS(table: SymbolTable, owner: string, name: string,
  impl: SymbolImpl, ns: string): KernelSymbol {
  return exportSym(table, owner, name, impl, false, ns);
}

/** `EXPORT_SYMBOL_NS_GPL(name, ns)`: GPL-only into `ns`. */
export function EXPORT_SYMBOL_NS_GPL(table: SymbolTable, owner: string, name: string,
  impl: SymbolImpl, ns: string): KernelSymbol {
  return exportSym(table, owner, name, impl, true, ns);
}

/**
 * `EXPORT_SYMBOL_FOR_MODULES(name, mods)`: GPL-only, namespace `"module:" + mods` (a comma list
 * of module names, each optionally ending in `*`); ignores the default namespace.
 */
export function EXPORT_SYMBOL_FOR_MODULES(table: SymbolTable, owner: string, name: string,
  impl: SymbolImpl, mods: string): KernelSymbol {
  return exportSym(table, owner, name, impl, true, MODULE_NS_PREFIX + mods);
}
