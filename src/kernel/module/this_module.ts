/**
 * `THIS_MODULE`: how a module's code reaches the symbols its load resolved. Each source file of a
 * module names its module once, as the kernel compiles KBUILD_MODNAME into every object of a
 * module:
 *
 *     const THIS_MODULE = moduleRef<KernelApi>('vfio_pci_core');
 *     const k = symbols(t, THIS_MODULE);   // then yield* k.dma_resv_lock(t, resv, null)
 *
 * The table belongs to the module, not to the calling task: an exporter's ops called on an
 * importer's task still use the exporter's table. Executors load a scenario's modules and give
 * each of their tasks the loaded tables (`Task.symtabs`, indexed by the module's slot); a table
 * holds exactly the symbols the module resolved (anything else reads `undefined`).
 *
 * Slots are numbered per thread in the order module names are first seen; only slots of this
 * thread are ever compared, so threads need not agree on them. A user's scenario file shares this
 * thread's copy of this file with the executor (exec/user_modules.ts), so the table the executor
 * links for a module is at the slot that module's code reads.
 */
import { HarnessError } from '../../errno/errors.js';
import type { Task } from '../task.js';
import { siteId } from '../warn.js';
import { module_slot_freed } from './module_ref.js';
import { normalizeModname, type SymbolImpl } from './table.js';

/** A loaded module's symbol table as its code calls it: symbol name → implementation (task
 *  first). */
export type ModuleSymtab = Readonly<Record<string, SymbolImpl>>;

/** A module's name and slot, typed by the API its code expects to find in its table. */
export interface ModuleRef<T> {
  readonly name: string;
  readonly slot: number;
  /** Type only: the table's shape. */
  readonly api?: T;
}

/** Module name → slot, in this thread. */
const slots = new Map<string, number>();

/** The slot of module `name` in this thread ('-' and '_' are the same name). */
export function moduleSlot(name: string): number {
  const key = normalizeModname(name);
  let s = slots.get(key);
  if (s === undefined) {
    s = slots.size;
    slots.set(key, s);
  }
  return s;
}

/** The reference a source file of module `name` keeps as its `THIS_MODULE`. */
export function moduleRef<T extends object>(name: string): ModuleRef<T> {
  return Object.freeze({ name, slot: moduleSlot(name) });
}

/**
 * Code of `module` ran on task `task` but the scenario did not load that module: its `modules`
 * does not list it. Bad input, not a finding: the executors end the trial and refuse the
 * scenario (exec/modules.ts `refusalOf`), naming its file.
 */
export class ModuleNotLoaded extends HarnessError {
  readonly module: string;
  readonly task: string;
  constructor(module: string, task: string) {
    super('ERR_SCENARIO', `${task}: module ${module} is not loaded: list it in the scenario's modules`);
    this.module = module;
    this.task = task;
  }
}

/** Whether `err` is a ModuleNotLoaded (thrown in this thread: it does not survive a thread
 *  crossing). */
export function isModuleNotLoaded(err: unknown): err is ModuleNotLoaded {
  return err instanceof ModuleNotLoaded;
}

/**
 * The symbol table of module `mod` as loaded for `t`'s trial. Throws ModuleNotLoaded
 * (ERR_SCENARIO) when the scenario did not load that module (its code cannot run unloaded).
 * Code of a module that a task deleted during the trial (sys_delete_module) runs from freed
 * memory — a stale function pointer kept past rmmod: the kernel faults there ("BUG: unable to
 * handle page fault", "[last unloaded: <module>]"). The model reports MODULE_TEXT_FREED at the
 * module's entry, titled after the module (warn.ts says why), and the task dies (throws
 * KernelOops). What keeps a module's code alive while it may still run is a reference on the
 * module: a dma-buf holds its exporter's (dma_buf_export's try_module_get(exp_info->owner)), so
 * deleting the exporter while one of its buffers lives fails -EWOULDBLOCK.
 */
export function symbols<T extends object>(t: Task, mod: ModuleRef<T>): T {
  const k = t.symtabs[mod.slot];
  if (k === undefined) throw new ModuleNotLoaded(mod.name, t.name);
  if (module_slot_freed(t, mod.slot)) t.bug('MODULE_TEXT_FREED', 0, siteId(normalizeModname(mod.name)));
  return k as unknown as T;
}
