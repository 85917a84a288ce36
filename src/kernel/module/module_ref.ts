/**
 * Module references at run time (kernel/module/main.c): `try_module_get` / `module_put` on the
 * modules the trial loaded, and `delete_module` as a task (rmmod) calls it while the trial runs.
 *
 * Each loaded module has one word in the arena, shared by every actor thread: the kernel's
 * `mod->refcnt` — MODULE_REF_BASE, plus one per loaded module that linked its exports, plus one
 * per try_module_get not yet put (a `__symbol_get`, a live dma-buf it exported) — or
 * MODULE_FREED once deleted. The words are allocated once, by the first call of a trial (a
 * module's load-order index picks its word, the same in every thread).
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
import { C_MODULE_REFS } from '../../shm/layout.js';
import { kzalloc_words, privIndex } from '../priv.js';
import type { Task } from '../task.js';
import { linkedModules, type LinkedModules } from './linked_modules.js';
import { normalizeModname } from './table.js';

/** `MODULE_REF_BASE`: the count of a live module nobody holds. */
const MODULE_REF_BASE = 1;
/** The word of a deleted module: its `struct module` is freed (free_module). */
const MODULE_FREED = -1;

/** Driver-private words the module references of a trial that loaded `modules` modules take
 *  (kzalloc_words, once, at its first run-time reference): one per module. */
export function moduleRefWords(modules: number): number {
  return modules;
}

/** C_MODULE_REFS while the task that claimed it (CAS from 0) allocates and fills the words. */
const REFS_FILLING = -1;

/**
 * Priv index of the first module word of `t`'s trial. The first caller of the trial claims
 * C_MODULE_REFS, allocates the words and publishes them, so they are allocated once however many
 * tasks race here; the others wait out its few stores (never across a yield).
 */
function refWords(t: Task, mods: LinkedModules): number {
  const at = t.ctl + C_MODULE_REFS;
  let v = Atomics.load(t.i32, at);
  if (v === 0) {
    v = Atomics.compareExchange(t.i32, at, 0, REFS_FILLING);
    if (v === 0) return publishRefWords(t, mods);
  }
  while (v === REFS_FILLING) v = Atomics.load(t.i32, at);
  return v - 1;
}

/** Allocate, fill and publish the trial's module words (C_MODULE_REFS claimed by this task): each
 *  module's MODULE_REF_BASE plus its static users' references (ref_module at their load); their
 *  first priv index. No room for them: C_MODULE_REFS is released and the error thrown. */
function publishRefWords(t: Task, mods: LinkedModules): number {
  const at = t.ctl + C_MODULE_REFS;
  let base: number;
  try {
    base = kzalloc_words(t, moduleRefWords(mods.names.length));
  } catch (e) {
    Atomics.store(t.i32, at, 0);
    throw e;
  }
  for (let i = 0; i < mods.names.length; i++) {
    Atomics.store(t.i32, privIndex(t, base + i), MODULE_REF_BASE + staticUsers(mods, i));
  }
  Atomics.store(t.i32, at, base + 1);
  return base;
}

/** Loaded modules that linked exports of module `i` (its source_list at the trial's start). */
function staticUsers(mods: LinkedModules, i: number): number {
  return mods.uses.reduce((n, targets) => (targets.includes(i) ? n + 1 : n), 0);
}

/** Arena index of the word of module `i` (load order). */
function wordOf(t: Task, mods: LinkedModules, i: number): number {
  return privIndex(t, refWords(t, mods) + i);
}

/** The loaded modules and `name`'s load-order index, or undefined when the trial did not load it. */
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
  return m !== undefined && tryGet(t, m.mods, m.i);
}

/** try_module_get on module `i` (load order): `atomic_inc_not_zero` on its word. */
function tryGet(t: Task, mods: LinkedModules, i: number): boolean {
  const w = wordOf(t, mods, i);
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
  if (m !== undefined) put(t, m.mods, m.i);
}

/** module_put on module `i` (load order). */
function put(t: Task, mods: LinkedModules, i: number): void {
  if (atomicDecIfPositive(t, wordOf(t, mods, i)) < 0) t.warn('MODULE_PUT_UNDERFLOW', i);
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
  if (id === 0) return true;
  const mods = linkedModules(t.symtabs);
  return mods !== undefined && tryGet(t, mods, id - 1);
}

/** `module_put(owner)` by module id: nothing for 0 (NULL); else as module_put. */
export function module_put_id(t: Task, id: number): void {
  if (id === 0) return;
  const mods = linkedModules(t.symtabs);
  if (mods !== undefined) put(t, mods, id - 1);
}

/** `atomic_dec_if_positive` on arena word `w`: the old value minus one, stored only if not negative. */
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
    if (mods.uses[j]!.includes(i) && Atomics.load(t.i32, wordOf(t, mods, j)) !== MODULE_FREED) n++;
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
  const w = wordOf(t, m.mods, m.i);
  if (Atomics.load(t.i32, w) === MODULE_FREED) return -ENOENT;
  if (liveHolders(t, m.mods, m.i) > 0) return -EAGAIN;
  const ret = tryReleaseModuleRef(t, w, m.i);
  if (ret === 0) for (const target of m.mods.uses[m.i]!) put(t, m.mods, target);
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
  const v = Atomics.load(t.i32, wordOf(t, m.mods, m.i));
  return v === MODULE_FREED ? -ENOENT : v - MODULE_REF_BASE;
}

/**
 * Whether the module at module slot `slot` (moduleSlot) was deleted during `t`'s trial: the check
 * on every entry into a module's code (this_module.ts `symbols`), so one atomic load while the
 * trial has taken no run-time module reference (its words are allocated at the first one, and a
 * deletion is one). Any task; atomic.
 */
export function module_slot_freed(t: Task, slot: number): boolean {
  const v = Atomics.load(t.i32, t.ctl + C_MODULE_REFS);
  if (v <= 0) return false;
  const i = linkedModules(t.symtabs)?.bySlot[slot] ?? -1;
  return i >= 0 && Atomics.load(t.i32, privIndex(t, v - 1 + i)) === MODULE_FREED;
}

/** Whether the trial loaded module `name` and deleted it since (its struct and text are freed). */
export function module_freed(t: Task, name: string): boolean {
  const m = find(t, name);
  return m !== undefined && Atomics.load(t.i32, wordOf(t, m.mods, m.i)) === MODULE_FREED;
}
