/**
 * `symbol_get()` / `symbol_put()` at run time (kernel/module/main.c `__symbol_get` /
 * `__symbol_put`): a module's code looks an export up by name while it runs, instead of linking
 * it at load time. The kernel macro leaves no undefined symbol in the module, so neither the
 * loader nor modpost sees the use: no namespace import is checked, and a missing export is no
 * load failure — the caller gets NULL and decides (iommufd returns -EOPNOTSUPP). Only a GPL-only
 * export is found ("failing symbol_get of non-GPLONLY symbol"). A module's name goes in a string
 * literal (`__symbol_get(t, 'vfio_pci_dma_buf_iommufd_map')`), which the source scan does not
 * read as a use, just as the kernel macro emits no relocation.
 *
 * What is found: the trial kernel's own exports (v3 or final, as the trial runs) and the exports of
 * the modules the trial loaded (link.ts records them with the tables it links). A module's export
 * comes with a reference on that module (`strong_try_module_get`, module_ref.ts), which
 * `__symbol_put` drops: while it is held, `sys_delete_module` of the owner fails -EWOULDBLOCK,
 * and once the owner is deleted its exports are no longer found. The core holds no reference.
 * Context: any; never sleeps.
 */
import { kernelIsV3 } from '../dma_buf.js';
import type { Task } from '../task.js';
import { kernelSymbolsFor } from './dmabuf_exports.js';
import { linkedExports } from './link.js';
import { module_freed, module_put, try_module_get } from './module_ref.js';
import { VMLINUX, type KernelSymbol, type SymbolImpl, type SymbolTable } from './table.js';

const CORE: { v3?: SymbolTable; final?: SymbolTable } = {};

/** The export `name` of the kernel `t` runs or of a module its trial loaded, or undefined. */
function findSymbol(t: Task, name: string): KernelSymbol | undefined {
  const kernel = kernelIsV3(t) ? 'v3' : 'final';
  const core = (CORE[kernel] ??= kernelSymbolsFor(kernel));
  return core.lookup(name) ?? linkedExports(t.symtabs)?.get(name);
}

/**
 * `__symbol_get(name)`: the implementation of GPL-only export `name` (task first, as a module's
 * table holds it) with a reference on its module, or null when nothing exports it, the export is
 * not GPL-only (the kernel then logs "failing symbol_get of non-GPLONLY symbol"; the model has no
 * log at run time) or its module was deleted.
 */
export function __symbol_get<F extends SymbolImpl = SymbolImpl>(t: Task, name: string): F | null {
  const sym = findSymbol(t, name);
  if (sym === undefined || !sym.gplOnly) return null;
  if (sym.owner !== VMLINUX && !try_module_get(t, sym.owner)) return null;
  return sym.impl as F;
}

/**
 * `__symbol_put(name)`: the caller is done with what `__symbol_get(name)` returned: drops the
 * reference it took on the exporting module (`module_put(fsa.owner)`: an unbalanced put is
 * module_put's to report); nothing more for a core export. A name that neither the core nor a
 * live module exports — never exported, or its module deleted since — is the kernel's
 * `BUG_ON(!find_symbol(&fsa))`: SYMBOL_PUT_UNKNOWN, and the task dies (throws KernelOops).
 */
export function __symbol_put(t: Task, name: string): void {
  const sym = findSymbol(t, name);
  if (sym === undefined || (sym.owner !== VMLINUX && module_freed(t, sym.owner))) t.bug('SYMBOL_PUT_UNKNOWN');
  if (sym.owner !== VMLINUX) module_put(t, sym.owner);
}
