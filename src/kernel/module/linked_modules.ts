/**
 * The record of which modules a set of linked tables belongs to: load order, each module's static
 * uses (`ref_module`) and this thread's slots. link.ts `linkModules` writes it; the run-time
 * module references (module_ref.ts) read it. Kept apart from link.ts, which imports the dma-buf
 * core's exports, so the core can take module references (dma_buf_export's owner) without an
 * import cycle through its own export table.
 */
import type { ModuleSymtab } from './this_module.js';

/** Loaded modules' tables by module slot, as `Task.symtabs` holds them. */
export type Symtabs = readonly (ModuleSymtab | undefined)[];

/**
 * The modules of a set of tables in load order — the same order in every thread — with, per
 * module, the load-order indices of the modules whose exports it linked (its `ref_module` uses).
 */
export interface LinkedModules {
  /** Normalised module names, in load order. */
  readonly names: readonly string[];
  readonly uses: readonly (readonly number[])[];
  /** Load-order index of the module at each module slot of this thread (moduleSlot); -1 for
   *  none. */
  readonly bySlot: readonly number[];
}

/** Tables → modules, in this thread. */
const MODULES = new WeakMap<Symtabs, LinkedModules>();

/** The loaded modules behind tables `tabs` (what linkModules recorded); undefined for others. */
export function linkedModules(tabs: Symtabs): LinkedModules | undefined {
  return MODULES.get(tabs);
}

/** Record that tables `tabs` are those of `mods` (linkModules, once per set of tables). */
export function recordLinkedModules(tabs: Symtabs, mods: LinkedModules): void {
  MODULES.set(tabs, mods);
}
