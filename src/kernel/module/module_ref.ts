/**
 * Module references at run time (kernel/module/main.c): `try_module_get` / `module_put` on the
 * modules the trial loaded, and `delete_module` as a task (rmmod) calls it while the trial runs.
 *
 * Each loaded module has one word in the arena, shared by every actor thread: the kernel's
 * `mod->refcnt` with MODULE_REF_BASE (1 = live, nobody holds it; 1 + n = n references), or
 * MODULE_FREED once deleted. The words are allocated once, by the first call of a trial (a
 * module's load-order index picks its word, the same in every thread). Static users — modules
 * that linked the module's exports at load (`ref_module`, link.ts `linkedModules`) — are its
 * holders while not deleted.
 *
 * Unbalanced puts, as the kernel sees them. module_put is `atomic_dec_if_positive(&refcnt)` then
 * `WARN_ON(ret < 0)` ("Failed to put refcount"): the first put without a get takes the count
 * from MODULE_REF_BASE to 0 silently — from then on try_module_get fails (`atomic_inc_not_zero`)
 * — and only a put on 0 WARNs (MODULE_PUT_UNDERFLOW). delete_module of a module at 0 hits
 * `BUG_ON(ret < 0)` in try_release_module_ref (`atomic_sub_return(MODULE_REF_BASE, &refcnt)`):
 * MODULE_RELEASE_UNDERFLOW, and the rmmod task dies.
 *
 * What a deletion changes: try_module_get (and so `__symbol_get` of its exports) fails, and code
 * of the module that still runs is running freed text (this_module.ts `symbols` reports it:
 * MODULE_TEXT_FREED, through module_slot_freed). Context: any; never sleeps; atomic.
 */
import { EAGAIN, ENOENT } from '../../errno/errno.js';
import { C_MODULE_REFS } from '../../shm/layout.js';
import { kzalloc_words, privIndex } from '../priv.js';
import type { Task } from '../task.js';
import { linkedModules, type LinkedModules } from './link.js';
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

/** Allocate, fill and publish the trial's module words (C_MODULE_REFS claimed by this task);
 *  their first priv index. No room for them: C_MODULE_REFS is released and the error thrown. */
function publishRefWords(t: Task, mods: LinkedModules): number {
  const at = t.ctl + C_MODULE_REFS;
  let base: number;
  try {
    base = kzalloc_words(t, moduleRefWords(mods.names.length));
  } catch (e) {
    Atomics.store(t.i32, at, 0);
    throw e;
  }
  for (let i = 0; i < mods.names.length; i++) Atomics.store(t.i32, privIndex(t, base + i), MODULE_REF_BASE);
  Atomics.store(t.i32, at, base + 1);
  return base;
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
  if (m === undefined) return false;
  const w = wordOf(t, m.mods, m.i);
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
  if (m === undefined) return;
  if (atomicDecIfPositive(t, wordOf(t, m.mods, m.i)) < 0) t.warn('MODULE_PUT_UNDERFLOW', m.i);
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
 * `delete_module(name)` made by task `t` during the trial: 0 when module `name` was unloaded;
 * -ENOENT when the trial did not load it or it is gone already; -EWOULDBLOCK (== -EAGAIN) while
 * a live module uses its exports ("Other modules depend on us"), or while references are held on
 * it (try_stop_module without O_TRUNC), e.g. a `__symbol_get` not yet put. A module whose count
 * an unbalanced module_put took to 0 BUGs in try_release_module_ref (MODULE_RELEASE_UNDERFLOW:
 * throws KernelOops, ending the task).
 */
export function sys_delete_module(t: Task, name: string): number {
  const m = find(t, name);
  if (m === undefined) return -ENOENT;
  const w = wordOf(t, m.mods, m.i);
  if (Atomics.load(t.i32, w) === MODULE_FREED) return -ENOENT;
  if (liveHolders(t, m.mods, m.i) > 0) return -EAGAIN;
  return tryReleaseModuleRef(t, w, m.i);
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
 * `module_refcount(mod)` during the trial: one per live module using its exports plus every
 * try_module_get / __symbol_get not yet put (-1 once unbalanced puts took the base, as the
 * kernel's `refcnt - MODULE_REF_BASE`); -ENOENT when not loaded or deleted.
 */
export function trial_module_refcount(t: Task, name: string): number {
  const m = find(t, name);
  if (m === undefined) return -ENOENT;
  const v = Atomics.load(t.i32, wordOf(t, m.mods, m.i));
  return v === MODULE_FREED ? -ENOENT : v - MODULE_REF_BASE + liveHolders(t, m.mods, m.i);
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
