/** The module table, at `Layout.modules`: one record per module the scenario loads, in load
 *  order (kernel/module/module_ref.ts; the row of module `i` is its load-order index). The
 *  kernel keeps this state in `struct module`, not in any driver's memory. */

/** `mod->refcnt` (atomic): MODULE_REF_BASE + one per loaded module that linked its exports + one
 *  per try_module_get not yet put, or MODULE_FREED once deleted (module_ref.ts). Written by the
 *  setup task at boot (kernelBoot, before any actor runs: every thread sees it filled), then by
 *  any task with CAS (try_module_get, module_put, delete_module); read by any task (every entry
 *  into a module's code checks it for MODULE_FREED). Nobody waits on it. */
export const MOD_REFCNT = 0;
export const MODULE_WORDS = 1;
