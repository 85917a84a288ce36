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
 * the modules the trial loaded (link.ts records them with the tables it links). The kernel's
 * module reference (`strong_try_module_get` / `module_put`) only matters to an unload, which no
 * trial does, so these run-time calls count nothing; the load-time table's `symbol_get` /
 * `symbol_put` (load.ts) count it and `delete_module` honours it. Context: any; never sleeps.
 */
import { kernelIsV3 } from '../dma_buf.js';
import type { Task } from '../task.js';
import { kernelSymbolsFor } from './dmabuf_exports.js';
import { linkedExports } from './link.js';
import type { KernelSymbol, SymbolImpl, SymbolTable } from './table.js';

const CORE: { v3?: SymbolTable; final?: SymbolTable } = {};

/** The export `name` of the kernel `t` runs or of a module its trial loaded, or undefined. */
function findSymbol(t: Task, name: string): KernelSymbol | undefined {
  const kernel = kernelIsV3(t) ? 'v3' : 'final';
  const core = (CORE[kernel] ??= kernelSymbolsFor(kernel));
  return core.lookup(name) ?? linkedExports(t.symtabs)?.get(name);
}

/**
 * `__symbol_get(name)`: the implementation of GPL-only export `name` (task first, as a module's
 * table holds it), or null when nothing exports it or the export is not GPL-only (the kernel then
 * logs "failing symbol_get of non-GPLONLY symbol"; the model has no log at run time).
 */
export function __symbol_get<F extends SymbolImpl = SymbolImpl>(t: Task, name: string): F | null {
  const sym = findSymbol(t, name);
  if (sym === undefined || !sym.gplOnly) return null;
  return sym.impl as F;
}

/**
 * `__symbol_put(name)`: the caller is done with what `__symbol_get(name)` returned. It drops the
 * kernel's module reference, which the run-time model does not count (see above): nothing to do.
 */
export function __symbol_put(_t: Task, _name: string): void {
  /* no module reference is held at run time */
}
