/**
 * Module references at run time (kernel/module/main.c): `try_module_get` / `module_put` on the
 * modules the trial loaded, and `delete_module` as a task (rmmod) calls it while the trial runs.
 *
 * Each loaded module has a record in the arena's module table (shm/layout modules.ts), shared by
 * every actor thread; its row is the module's load-order index, the same in every thread. Its
 * MOD_REFCNT word is the kernel's `mod->refcnt` — MODULE_REF_BASE, plus one per loaded module that
 * linked its exports, plus one per try_module_get not yet put (a `__symbol_get`, a live dma-buf it
 * exported) — or MODULE_FREED once deleted. Kernel boot fills the records (module_refs_init)
 * before the scenario's setup runs, as the kernel's load does (module_unload_init, ref_module).
 *
 * Static users count in the word, as in the kernel. `ref_module(a, b)` at a's load takes
 * `strong_try_module_get(b)` once per using module (`if (b == NULL || already_uses(a, b)) return
 * 0;`) and `add_module_usage(a, b)` puts a on b's `source_list`; `module_unload_free(a)`, when a
 * is deleted, does `module_put(i)` for every target i and unlinks the use. So a module with k
 * users starts the trial at MODULE_REF_BASE + k (link.ts `linkedModules` records the uses), and
 * `delete_module` refuses it while its source_list is not empty — "Other modules depend on us:
 * get rid of them first." — before it looks at the count.
 *
 * Unbalanced puts, as the kernel sees them. module_put is `atomic_dec_if_positive(&refcnt)` then
 * `WARN_ON(ret < 0)` ("Failed to put refcount"): puts without a get first take the users'
 * references and then MODULE_REF_BASE silently — k + 1 of them for a module with k users — and
 * only a put on 0 WARNs (MODULE_PUT_UNDERFLOW). At 0 try_module_get fails (`atomic_inc_not_zero`;
 * module_unload_init: "refcnt == 0 means module is going"). delete_module of a module at 0 hits
 * `BUG_ON(ret < 0)` in try_release_module_ref (`atomic_sub_return(MODULE_REF_BASE, &refcnt)`):
 * MODULE_RELEASE_UNDERFLOW, and the rmmod task dies.
 *
 * What a deletion changes: try_module_get (and so `__symbol_get` of its exports, and a
 * dma_buf_export naming it as owner) fails, and code of the module that still runs is running
 * freed text (this_module.ts `symbols` reports it: MODULE_TEXT_FREED, through module_slot_freed).
 * The model's delete is one step (try_stop_module, exit and free_module at once), so the window in
 * which the kernel's module is GOING with its count at 0 is not observable. Context: any; never
 * sleeps; atomic.
 */
import { EAGAIN, ENOENT } from '../../errno/errno.js';
import { HarnessError } from '../../errno/errors.js';
import { MOD_REFCNT, MODULE_WORDS } from '../../shm/layout.js';
import type { Task } from '../task.js';
import { linkedModules, type LinkedModules } from './linked_modules.js';
import { normalizeModname } from './table.js';

/** `MODULE_REF_BASE`: the count of a live module nobody holds. */
const MODULE_REF_BASE = 1;
/** The word of a deleted module: its `struct module` is freed (free_module). */
const MODULE_FREED = -1;

/**
 * Kernel boot of the trial's modules (kernelBoot, by the setup task right after the arena reset,
 * before any other task runs): each module `t.symtabs` holds starts live at MODULE_REF_BASE plus
 * its static users' references (module_unload_init, then ref_module at each user's load). Rows
 * past the loaded modules stay as the reset left them (zero). A scenario loading more modules
 * than the table holds is refused before its first trial (exec/modules.ts); reaching here with
 * one throws HarnessError ERR_ARENA_GEOMETRY.
 */
export function module_refs_init(t: Task): void {
  const mods = linkedModules(t.symtabs);
  if (mods === undefined) return;
  const rows = t.arena.geometry.modules;
  if (mods.names.length > rows) {
    throw new HarnessError('ERR_ARENA_GEOMETRY', `arena: no room for ${mods.names.length} modules (geometry.modules allows ${rows})`);
  }
  for (let i = 0; i < mods.names.length; i++) Atomics.store(t.i32, wordOf(t, i), MODULE_REF_BASE + staticUsers(mods, i));
}

/** Loaded modules that linked exports of module `i` (its source_list at the trial's start). */
function staticUsers(mods: LinkedModules, i: number): number {
  return mods.uses.reduce((n, targets) => (targets.includes(i) ? n + 1 : n), 0);
}

/** Arena index of the refcnt word of module `i` (load order). */
function wordOf(t: Task, i: number): number {
  return t.arena.layout.modules + i * MODULE_WORDS + MOD_REFCNT;
}

/** The loaded modules and `name`'s load-order index, or undefined when the trial did not load
 *  it. */
function find(t: Task, name: string): { mods: LinkedModules; i: number } | undefined {
  const mods = linkedModules(t.symtabs);
  const i = mods?.names.indexOf(normalizeModname(name)) ?? -1;
  return mods === undefined || i < 0 ? undefined : { mods, i };
}

/**
 * `try_module_get` (`module_is_live(mod) && atomic_inc_not_zero(&mod->refcnt)`): a reference on
 * live module `name`; false when not loaded, deleted, or at 0 (an unbalanced put took its base).
 */
export function try_module_get(t: Task, name: string): boolean {
  const m = find(t, name);
  return m !== undefined && tryGet(t, m.i);
}

/** try_module_get on module `i` (load order): `atomic_inc_not_zero` on its word. */
function tryGet(t: Task, i: number): boolean {
  const w = wordOf(t, i);
  for (;;) {
    const v = Atomics.load(t.i32, w);
    if (v <= 0) return false;
    if (Atomics.compareExchange(t.i32, w, v, v + 1) === v) return true;
  }
}

/**
 * `module_put`: drops a reference try_module_get took (`atomic_dec_if_positive`). With none held
 * the put takes MODULE_REF_BASE, silently as in the kernel; on a count already at 0 — or on a
 * deleted module — it changes nothing and WARNs MODULE_PUT_UNDERFLOW ("Failed to put refcount").
 * Nothing for a module the trial did not load.
 */
export function module_put(t: Task, name: string): void {
  const m = find(t, name);
  if (m !== undefined) put(t, m.i);
}

/** module_put on module `i` (load order). */
function put(t: Task, i: number): void {
  if (atomicDecIfPositive(t, wordOf(t, i)) < 0) t.warn('MODULE_PUT_UNDERFLOW', i);
}

/**
 * The module id the dma-buf core keeps for `exp_info->owner` (DB_OWNER): the load-order index + 1
 * of the module at module slot `slot` (moduleSlot) in `t`'s trial, or -1 when the trial did not
 * load it. 0 is no module (NULL, built-in code). Any task.
 */
export function module_owner_id(t: Task, slot: number): number {
  const i = linkedModules(t.symtabs)?.bySlot[slot] ?? -1;
  return i < 0 ? -1 : i + 1;
}

/**
 * `try_module_get(owner)` by module id (module_owner_id): true for 0 (NULL: "if (module)" — the
 * core's own buffers take nothing); else as try_module_get.
 */
export function try_module_get_id(t: Task, id: number): boolean {
  return id === 0 || (linkedModules(t.symtabs) !== undefined && tryGet(t, id - 1));
}

/** `module_put(owner)` by module id: nothing for 0 (NULL); else as module_put. */
export function module_put_id(t: Task, id: number): void {
  if (id !== 0 && linkedModules(t.symtabs) !== undefined) put(t, id - 1);
}

/** `atomic_dec_if_positive` on arena word `w`: the old value minus one, stored only if not
 *  negative. */
function atomicDecIfPositive(t: Task, w: number): number {
  for (;;) {
    const v = Atomics.load(t.i32, w);
    if (v <= 0) return v - 1;
    if (Atomics.compareExchange(t.i32, w, v, v - 1) === v) return v - 1;
  }
}

/** Live (not deleted) loaded modules that linked exports of module `i`. */
function liveHolders(t: Task, mods: LinkedModules, i: number): number {
  let n = 0;
  for (let j = 0; j < mods.uses.length; j++) {
    if (mods.uses[j]!.includes(i) && Atomics.load(t.i32, wordOf(t, j)) !== MODULE_FREED) n++;
  }
  return n;
}

/**
 * `delete_module(name)` made by task `t` during the trial: 0 when module `name` was unloaded —
 * then, as free_module's module_unload_free, the references it took on the modules whose exports
 * it linked are put; -ENOENT when the trial did not load it or it is gone already; -EWOULDBLOCK
 * (== -EAGAIN) while a live module uses its exports ("Other modules depend on us"), or while
 * references are held on it (try_stop_module without O_TRUNC), e.g. a `__symbol_get` not yet put
 * or a dma-buf it exported still alive. A module whose count unbalanced module_puts took to 0 BUGs
 * in try_release_module_ref (MODULE_RELEASE_UNDERFLOW: throws KernelOops, ending the task).
 */
export function sys_delete_module(t: Task, name: string): number {
  const m = find(t, name);
  if (m === undefined) return -ENOENT;
  const w = wordOf(t, m.i);
  if (Atomics.load(t.i32, w) === MODULE_FREED) return -ENOENT;
  if (liveHolders(t, m.mods, m.i) > 0) return -EAGAIN;
  const ret = tryReleaseModuleRef(t, w, m.i);
  if (ret === 0) for (const target of m.mods.uses[m.i]!) put(t, target);
  return ret;
}

/**
 * try_stop_module → try_release_module_ref on word `w` of module `i`: drop MODULE_REF_BASE and
 * free the module when nobody holds it (0), -EAGAIN while references are held, -ENOENT when a
 * racing rmmod freed it first; BUG on a count below the base.
 */
function tryReleaseModuleRef(t: Task, w: number, i: number): number {
  for (;;) {
    const v = Atomics.load(t.i32, w);
    if (v === MODULE_FREED) return -ENOENT;
    if (v < MODULE_REF_BASE) t.bug('MODULE_RELEASE_UNDERFLOW', i);
    if (v > MODULE_REF_BASE) return -EAGAIN;
    if (Atomics.compareExchange(t.i32, w, v, MODULE_FREED) === v) return 0;
  }
}

/**
 * `module_refcount(mod)` during the trial, the kernel's `refcnt - MODULE_REF_BASE`: one per live
 * module using its exports plus every try_module_get / __symbol_get not yet put, less the
 * unbalanced puts (-1 once they took the base: "-1 if the module is in the process of
 * unloading"); -ENOENT when not loaded or deleted.
 */
export function trial_module_refcount(t: Task, name: string): number {
  const m = find(t, name);
  if (m === undefined) return -ENOENT;
  const v = Atomics.load(t.i32, wordOf(t, m.i));
  return v === MODULE_FREED ? -ENOENT : v - MODULE_REF_BASE;
}

/**
 * Whether the module at module slot `slot` (moduleSlot) was deleted during `t`'s trial: the check
 * on every entry into a module's code (this_module.ts `symbols`). Any task; atomic.
 */
export function module_slot_freed(t: Task, slot: number): boolean {
  const i = linkedModules(t.symtabs)?.bySlot[slot] ?? -1;
  return i >= 0 && Atomics.load(t.i32, wordOf(t, i)) === MODULE_FREED;
}

/** Whether the trial loaded module `name` and deleted it since (its struct and text are freed). */
export function module_freed(t: Task, name: string): boolean {
  const m = find(t, name);
  return m !== undefined && Atomics.load(t.i32, wordOf(t, m.i)) === MODULE_FREED;
}
