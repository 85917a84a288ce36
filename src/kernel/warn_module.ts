/**
 * The WARN/BUG table's (warn.ts) module rows: the module reference count, a deleted module's text,
 * and __symbol_put.
 */
export const MODULE_SPECS = [
  ['MODULE_PUT_UNDERFLOW', 'refcount-underflow', 'module_put', 'Failed to put refcount: module_put on a module whose count is already 0 (puts outnumber gets by two, or the module is gone)'],
  ['MODULE_RELEASE_UNDERFLOW', 'refcount-underflow', 'try_release_module_ref', 'BUG_ON(ret < 0): delete_module of a module whose MODULE_REF_BASE an unbalanced module_put dropped'],
  // Titled after the module (the finding's site: `use-after-free in <module>`), not a function —
  // a deliberate exception to "kind + function". The kernel's own report cannot name one: the
  // faulting RIP is in freed module memory, so the oops prints a bare address and "[last
  // unloaded: <module>]". The model sees the fault at the module's entry (this_module.ts
  // `symbols`), which knows the module but not which of its functions was called, so the module
  // is the one name both have; stale pointers into one module's text are one bug to de-duplicate.
  ['MODULE_TEXT_FREED', 'use-after-free', 'module_text', 'code of a deleted module still runs (a stale function pointer or ops table): its text is freed'],
  ['SYMBOL_PUT_UNKNOWN', 'assertion', '__symbol_put', 'BUG_ON(!find_symbol(&fsa)): __symbol_put of a name neither the core nor a live module exports'],
] as const;
