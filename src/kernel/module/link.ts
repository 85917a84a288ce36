/**
 * Linking loaded modules to their code: the table `symbols(t, THIS_MODULE)` returns is built from
 * exactly what the module's load resolved (like the relocations `simplify_symbols` writes into a
 * module). The main thread links from its `load_module` results; an actor thread, which does not
 * parse sources (the TypeScript compiler costs a worker ~150 ms to load), re-links from the
 * symbol names the main thread resolved, against its own copy of the same kernel's exports.
 */
import { HarnessError } from '../../errno/errors.js';
import { moduleSymbols, type ModuleDef } from './define.js';
import { kernelSymbolsFor } from './dmabuf_exports.js';
import type { LoadedModule } from './load.js';
import { normalizeModname, type KernelSymbol } from './table.js';
import { linkedModules, recordLinkedModules, type LinkedModules, type Symtabs } from './linked_modules.js';
import { moduleSlot, type ModuleSymtab } from './this_module.js';

/** What linking needs of a loaded module: its name, resolved symbols and own exports. */
export type Linkable = Pick<LoadedModule, 'name' | 'symbols' | 'exports'>;

/** The loaded modules' exports (name → export) of each set of tables linkModules built. */
const EXPORTS = new WeakMap<Symtabs, ReadonlyMap<string, KernelSymbol>>();

export { linkedModules, type LinkedModules, type Symtabs };

/** Load order, uses and slots of `loaded` (a use of an export of no module in `loaded` is the
 *  core's). */
function moduleUses(loaded: readonly Linkable[]): LinkedModules {
  const names = loaded.map((l) => normalizeModname(l.name));
  const uses = loaded.map((l, i) => {
    const targets = new Set<number>();
    for (const sym of l.symbols.values()) {
      const j = names.indexOf(normalizeModname(sym.owner));
      if (j >= 0 && j !== i) targets.add(j);
    }
    return [...targets].sort((a, b) => a - b);
  });
  const bySlot: number[] = [];
  loaded.forEach((l, i) => {
    const slot = moduleSlot(l.name);
    while (bySlot.length <= slot) bySlot.push(-1);
    bySlot[slot] = i;
  });
  return { names, uses, bySlot };
}

/**
 * The exports of the modules whose tables `tabs` are (what a task's `symtabs` holds), for
 * run-time lookups by name (`__symbol_get`); undefined for tables linkModules did not build.
 */
export function linkedExports(tabs: Symtabs): ReadonlyMap<string, KernelSymbol> | undefined {
  return EXPORTS.get(tabs);
}

/**
 * A frozen table of exactly `resolved` (name → implementation) with no prototype. Built with
 * fast properties (an `Object.create(null)` object is a dictionary and measured ~1.4× slower
 * per call).
 */
export function symtabOf(resolved: ReadonlyMap<string, KernelSymbol>): ModuleSymtab {
  const obj = Object.fromEntries([...resolved].map(([name, sym]) => [name, sym.impl]));
  Object.setPrototypeOf(obj, null);
  return Object.freeze(obj);
}

/**
 * The tables of `loaded` by module slot; every other slot holds `undefined`. The modules'
 * exports and their load order and uses are recorded with the result (`linkedExports`,
 * `linkedModules`).
 */
export function linkModules(loaded: readonly Linkable[]): Symtabs {
  const out: (ModuleSymtab | undefined)[] = [];
  const exports = new Map<string, KernelSymbol>();
  for (const l of loaded) {
    const slot = moduleSlot(l.name);
    while (out.length <= slot) out.push(undefined);
    out[slot] = symtabOf(l.symbols);
    for (const e of l.exports) exports.set(e.name, e);
  }
  EXPORTS.set(out, exports);
  recordLinkedModules(out, moduleUses(loaded));
  return out;
}

/** The names each module's load resolved, in load order: what an actor thread re-links from. */
export function resolvedNames(loaded: readonly Linkable[]): string[][] {
  return loaded.map((l) => [...l.symbols.keys()]);
}

/**
 * Re-links `mods` (in load order) in this thread: `names[i]` are the symbols `mods[i]` resolved
 * on the main thread, looked up in this thread's table of `kernel` with the earlier modules'
 * exports added. Throws ERR_WORKER when the lists do not match or a name is not exported here
 * (the threads would run different code).
 */
export function relinkModules(mods: readonly ModuleDef[], kernel: 'v3' | 'final',
  names: readonly (readonly string[])[]): Symtabs {
  if (names.length !== mods.length) {
    throw new HarnessError('ERR_WORKER', `relink: ${names.length} symbol lists for ${mods.length} modules`);
  }
  const table = kernelSymbolsFor(kernel);
  const loaded = mods.map((mod, i): Linkable => {
    const symbols = new Map<string, KernelSymbol>();
    for (const name of names[i]!) {
      const sym = table.lookup(name);
      if (sym === undefined) throw new HarnessError('ERR_WORKER', `relink: module ${mod.name}: ${name} is not exported in this thread`);
      symbols.set(name, sym);
    }
    const exports = moduleSymbols(mod).map((s) => table.add(s));
    return { name: mod.name, symbols, exports };
  });
  return linkModules(loaded);
}
