/** The symbol-namespace / module system: exports, modules, loader, modpost, nsdeps, modinfo. */
export * from './symbols.js';
export {
  defineModule, exportNamespace, moduleSourceFile, moduleSymbols,
  type ExportMacro, type ModuleDef, type ModuleExport, type ModuleSpec,
} from './define.js';
export {
  EEXIST, bindSymbols, delete_module, load_module, module_holders, module_refcount, symbol_get, symbol_put,
  type Bound, type BoundSymbol, type BoundSymbols, type LoadOptions, type LoadResult, type LoadedModule,
} from './load.js';
export {
  formatModpost, formatNsdeps, modpost, moduleUsedSymbols, usedSymbols,
  type ModpostLevel, type ModpostMessage, type ModpostOptions, type ModpostResult, type NsdepsEntry,
} from './modpost.js';
export { mod_strncmp, modpost_verify_module_namespace, verify_module_namespace } from './namespace.js';
export { nsdeps, readImportNs } from './nsdeps.js';
export { ModuleNotLoaded, isModuleNotLoaded, moduleRef, moduleSlot, symbols, type ModuleRef, type ModuleSymtab } from './this_module.js';
export {
  linkModules, linkedExports, linkedModules, relinkModules, resolvedNames, symtabOf, type Linkable, type LinkedModules, type Symtabs,
} from './link.js';
export { __symbol_get, __symbol_put } from './symbol_get.js';
export { module_put, sys_delete_module, trial_module_refcount, try_module_get } from './module_ref.js';
export type { KernelApi } from './api.js';
export { modinfo } from './modinfo.js';
