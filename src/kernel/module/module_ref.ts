/**
 * Module references at run time (kernel/module/main.c): `try_module_get` / `module_put` on the
 * modules the trial loaded, and `delete_module` as a task (rmmod) calls it while the trial runs.
 *
 * Each loaded module has one word in the arena, shared by every actor thread: the kernel's
 * `mod->refcnt` with MODULE_REF_BASE (1 = live, nobody holds it; 1 + n = n references), 0 once
 * deleted. The words are allocated once, by the first call of a trial (a module's load-order
 * index picks its word, the same in every thread). Static users — modules that linked the module's
 * exports at load (`ref_module`, link.ts `linkedModules`) — are its holders while not deleted.
 *
 * What a deletion changes: try_module_get (and so `__symbol_get` of its exports) fails. Code of a
 * deleted module that still runs is not detected. Context: any; never sleeps; atomic.
 */
import { EAGAIN, ENOENT } from '../../errno/errno.js';
import { C_MODULE_REFS } from '../../shm/layout.js';
import { kzalloc_words, privIndex } from '../priv.js';
import type { Task } from '../task.js';
import { linkedModules, type LinkedModules } from './link.js';
import { normalizeModname } from './table.js';

/** `MODULE_REF_BASE`: the count of a live module nobody holds. */
const MODULE_REF_BASE = 1;

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

/** `try_module_get`: a reference on live module `name`; false when not loaded or deleted. */
export function try_module_get(t: Task, name: string): boolean {
  const m = find(t, name);
  if (m === undefined) return false;
  const w = wordOf(t, m.mods, m.i);
  for (;;) {
    const v = Atomics.load(t.i32, w);
    if (v === 0) return false;
    if (Atomics.compareExchange(t.i32, w, v, v + 1) === v) return true;
  }
}

/** `module_put`: drops a reference try_module_get took. A put with none held changes nothing. */
export function module_put(t: Task, name: string): void {
  const m = find(t, name);
  if (m === undefined) return;
  const w = wordOf(t, m.mods, m.i);
  for (;;) {
    const v = Atomics.load(t.i32, w);
    if (v <= MODULE_REF_BASE) return;
    if (Atomics.compareExchange(t.i32, w, v, v - 1) === v) return;
  }
}

/** Live (not deleted) loaded modules that linked exports of module `i`. */
function liveHolders(t: Task, mods: LinkedModules, i: number): number {
  let n = 0;
  for (let j = 0; j < mods.uses.length; j++) {
    if (mods.uses[j]!.includes(i) && Atomics.load(t.i32, wordOf(t, mods, j)) !== 0) n++;
  }
  return n;
}

/**
 * `delete_module(name)` made by task `t` during the trial: 0 when module `name` was unloaded;
 * -ENOENT when the trial did not load it or it is gone already; -EWOULDBLOCK (== -EAGAIN) while
 * a live module uses its exports ("Other modules depend on us"), or while references are held on
 * it (try_stop_module without O_TRUNC), e.g. a `__symbol_get` not yet put.
 */
export function sys_delete_module(t: Task, name: string): number {
  const m = find(t, name);
  if (m === undefined) return -ENOENT;
  const w = wordOf(t, m.mods, m.i);
  if (Atomics.load(t.i32, w) === 0) return -ENOENT;
  if (liveHolders(t, m.mods, m.i) > 0) return -EAGAIN;
  return Atomics.compareExchange(t.i32, w, MODULE_REF_BASE, 0) === MODULE_REF_BASE ? 0 : -EAGAIN;
}

/**
 * `module_refcount(mod)` during the trial: one per live module using its exports plus every
 * try_module_get / __symbol_get not yet put; -ENOENT when not loaded or deleted.
 */
export function trial_module_refcount(t: Task, name: string): number {
  const m = find(t, name);
  if (m === undefined) return -ENOENT;
  const v = Atomics.load(t.i32, wordOf(t, m.mods, m.i));
  return v === 0 ? -ENOENT : v - MODULE_REF_BASE + liveHolders(t, m.mods, m.i);
}
