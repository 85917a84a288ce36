/**
 * The symbol API in one import: the table and export macros (table.ts) and the core kernel's
 * pre-populated table `KERNEL_SYMBOLS` (kernel_exports.ts).
 */
export {
  EXPORT_SYMBOL, EXPORT_SYMBOL_FOR_MODULES, EXPORT_SYMBOL_GPL, EXPORT_SYMBOL_NS,
  EXPORT_SYMBOL_NS_GPL, MODULE_NS_PREFIX, SymbolTable, VMLINUX, cmpC, isGplCompatible,
  knownSymbolNames, koName, normalizeModname,
  type KernelSymbol, type License, type LoadedModuleInfo, type SymbolImpl,
} from './table.js';
export { KERNEL_SYMBOLS, registerKernelSymbols } from './kernel_exports.js';
