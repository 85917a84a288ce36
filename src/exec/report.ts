/**
 * Kernel-style report text for the model's findings: KASAN-style reports for device accesses, CPU
 * accesses through a user mapping's PTE and DMA-API calls (who mapped or faulted the page in, who
 * revoked / freed / unmapped / removed, who accessed or unmapped again — with steps), for an
 * exporter letting memory go under a live mapping (whose, when, through which attachment) and for
 * double frees and bad page moves, lockdep's circular-locking report, leak reports, and a WARNING
 * line for the rest, naming its operands as the kernel function's parameters (OPERANDS). Titles are
 * built elsewhere; this is prose for people, never asserted on except for its structure (which
 * line, which operands).
 */
import type { Arena } from '../shm/arena.js';
import { C_TRIAL, G_AUX, G_OBJ, G_STEP } from '../shm/layout.js';
import { siteName } from '../kernel/warn.js';
import { SLAB_AUX } from '../kernel/priv_record.js';
import { SLAB_SPECS } from '../kernel/warn_slab.js';
import { lockdepCircularInfo, lockdepClassName } from '../kernel/lockdep.js';
import type { WarnSpec } from '../kernel/warn.js';
import { circularLockingReport } from '../check/lockdep_report.js';
import type { SlabRecord } from './result.js';
import type { Leak } from '../check/leaks.js';

const OTHER: Readonly<Record<string, string>> = {
  DMA_USE_AFTER_FREE: 'freed or reused', DMA_USE_AFTER_REVOKE: 'revoked', DMA_WRITE_NIRVANA: 'redirected to nirvana',
  DMA_AFTER_UNMAP: 'unmapped', DMA_USE_AFTER_REMOVE: 'removed', DMA_UNMAP_UNMAPPED: 'unmapped first',
  CPU_USE_AFTER_FREE: 'freed or reused', CPU_USE_AFTER_REVOKE: 'revoked',
};
/** The OTHER rows about a CPU access through a user mapping's PTE (cpu_mapping.ts judgeAccess):
 *  their object is a page and their first actor the one whose fault installed the PTE. */
const CPU_ACCESS: ReadonlySet<string> = new Set(['CPU_USE_AFTER_FREE', 'CPU_USE_AFTER_REVOKE']);
/** What the reporting actor did, when it was not a device access. */
const ACCESS: Readonly<Record<string, string>> = { DMA_UNMAP_UNMAPPED: 'unmapped again' };

/** The report of the finding record at `g` (a WARN/BUG of `spec`), checked in function `fn`;
 *  `slab` is its block record when it is a KASAN report on private words (slabRecordOf). */
export function findingMessage(
  a: Arena, g: number, spec: WarnSpec, names: readonly string[], actor: number, fn: string,
  slab: SlabRecord | undefined = slabRecordOf(a.i32, g, spec.name),
): string {
  const h = a.i32;
  if (spec.name === 'LOCKDEP_CIRCULAR') return circularLockingReport(lockdepCircularInfo(a, g, names, fn));
  const who = (id: number): string => (id <= 0 ? 'nobody' : names[id - 1] ?? 'setup');
  if (IRQ_USAGE.has(spec.name)) return irqUsageMessage(a, g, spec, fn, names[actor] ?? 'setup', who);
  if (HOLDER[spec.name] !== undefined) return holderMessage(a, g, spec, fn, names[actor] ?? 'setup', who);
  const other = OTHER[spec.name];
  if (other !== undefined) {
    const aux = (i: number): number => h[g + G_AUX + i]!;
    const cpu = CPU_ACCESS.has(spec.name);
    const subject = `${spec.name === 'DMA_USE_AFTER_REMOVE' ? 'device' : cpu ? 'page' : 'DMA address'} ${h[g + G_OBJ]}`;
    return [
      `BUG: KASAN-style ${spec.kind} in ${fn}`,
      `${spec.what}`,
      `  ${ACCESS[spec.name] ?? 'accessed'} by ${names[actor] ?? 'setup'} at step ${h[g + G_STEP]}: ${subject}`,
      ...(spec.name === 'DMA_USE_AFTER_REMOVE' ? [] : [`  ${cpu ? 'faulted in' : 'mapped'} by ${who(aux(0))} at step ${aux(1)}`]),
      `  ${other} by ${who(aux(spec.name === 'DMA_USE_AFTER_REMOVE' ? 0 : 2))} at step ${aux(spec.name === 'DMA_USE_AFTER_REMOVE' ? 1 : 3)}`,
    ].join('\n');
  }
  if (slab !== undefined) return slabMessage(a, g, spec, slab, fn, names[actor] ?? 'setup', who);
  return `WARNING: ${spec.what} (${fn}, ${names[actor] ?? 'setup'}, ${operands(h, g, spec.name, who).join(', ')})`;
}

/** The usage an inconsistent-state finding `code` found set before: LOCK_IRQ_INCONSISTENT_ON's in
 *  hardirq, _IN's with interrupts on. */
function otherUsage(code: string): string {
  return code === 'LOCK_IRQ_INCONSISTENT_ON' ? 'first used in hardirq' : 'first taken with interrupts on';
}

/** Where the other usage bit was set: C_TRIAL generation `n` (0: unknown), this trial or an earlier
 *  one of the arena — lockdep state lasts the boot, so the finding carries the latter for its
 *  replays to prime (kernel/lockdep_carry.ts). A replay's primed bit keeps the recorded trial's
 *  number, and priming counts the replay's trials past it (kernel/lockdep_prime.ts), so a primed
 *  bit reads as an earlier trial's there too. */
function trialOf(a: Arena, n: number): string {
  if (n === 0) return 'in an unknown trial';
  return n === a.ctl(C_TRIAL) ? `in trial ${n} (this trial)` : `in trial ${n} (an earlier trial: the finding carries it, a replay primes it)`;
}

/** lockdep's irq-safety reports (kernel/lockdep_irq.ts): aux = [class, other usage's actor + 1, its
 *  trial] for an inconsistent class, [HARDIRQ-safe class, HARDIRQ-unsafe class, …] across
 *  classes. */
const IRQ_USAGE: ReadonlySet<string> = new Set(['LOCK_IRQ_INCONSISTENT_ON', 'LOCK_IRQ_INCONSISTENT_IN', 'LOCK_IRQ_SAFE_UNSAFE', 'LOCK_IRQ_INVERSION']);

/** The report of an irq-safety finding at `g`: lockdep's headline, the lock taken, and the classes
 *  (and for one inconsistent class, the task whose acquisition set the other usage). */
function irqUsageMessage(a: Arena, g: number, spec: WarnSpec, fn: string, by: string, who: (id: number) => string): string {
  const aux = (i: number): number => a.i32[g + G_AUX + i]!;
  const one = spec.name.startsWith('LOCK_IRQ_INCONSISTENT');
  return [
    `WARNING: ${spec.cond ?? spec.what}`,
    spec.what,
    `  ${by} took the lock (object ${a.i32[g + G_OBJ]}) in ${fn} at step ${a.i32[g + G_STEP]}`,
    ...(one ? [`  class ${lockdepClassName(a, aux(0))}, ${otherUsage(spec.name)} by ${who(aux(1))} ${trialOf(a, aux(2))}`]
      : [`  HARDIRQ-safe class ${lockdepClassName(a, aux(0))} -> HARDIRQ-unsafe class ${lockdepClassName(a, aux(1))}`]),
  ].join('\n');
}

/** KASAN's reports on private words (the slab rows): their aux words are the block's record. */
const SLAB_RECORD: ReadonlySet<string> = new Set(SLAB_SPECS.map(([n]) => n));

/** The block record the finding record at `g` of check `code` carries when `code` is a KASAN
 *  report on private words (its aux words, SLAB_AUX: written by kernel/priv_record.ts
 *  privBlockAux); undefined for any other check. */
export function slabRecordOf(h: Int32Array, g: number, code: string): SlabRecord | undefined {
  if (!SLAB_RECORD.has(code)) return undefined;
  const aux = (i: number): number => h[g + G_AUX + i]!;
  return {
    allocBy: aux(SLAB_AUX.ALLOC_BY) - 1, allocFn: siteName(aux(SLAB_AUX.ALLOC_SITE)),
    freeBy: aux(SLAB_AUX.FREE_BY) - 1, freeFn: siteName(aux(SLAB_AUX.FREE_SITE)),
  };
}

/** KASAN's report on private words (`r`: the block's record, slabRecordOf): the head line (the one
 *  "BUG: KASAN:"), the check's explanation, the access or free, then who allocated and who freed
 *  the block, in which function. */
function slabMessage(a: Arena, g: number, spec: WarnSpec, r: SlabRecord, fn: string, by: string, who: (id: number) => string): string {
  const inFn = (f: string): string => (f === '' ? '' : ` in ${f}`);
  return [
    `BUG: KASAN: ${spec.cond ?? spec.kind} in ${fn}`,
    spec.what,
    `  by ${by} at step ${a.i32[g + G_STEP]}: private word ${a.i32[g + G_OBJ]}`,
    ...(r.allocBy < 0 ? [] : [`  allocated by ${who(r.allocBy + 1)}${inFn(r.allocFn)}`]),
    ...(r.freeBy < 0 ? [] : [`  freed by ${who(r.freeBy + 1)}${inFn(r.freeFn)}`]),
  ].join('\n');
}

/**
 * The operands a WARN's report names, by the kernel function's parameter names: the finding's
 * object, then what its first aux word holds (an id + 1; 0 = none). FENCE_LATER_CONTEXT compares
 * dma_fence_is_later(f1, f2); the FENCE_CB_* checks fire in dma_fence_add_callback(fence, cb, func)
 * — a NULL fence is recorded on the node. Other checks name their one object `object`.
 */
const OPERANDS: Readonly<Record<string, readonly [string, string?]>> = {
  FENCE_LATER_CONTEXT: ['f1', 'f2'], FENCE_CB_NULL: ['fence', 'cb'], FENCE_CB_PENDING: ['fence', 'cb'], FENCE_CB_NO_FENCE: ['cb'],
  FENCE_ARRAY_CONTAINER: ['array', 'fence'], RESV_ADD_CONTAINER: ['fence', 'obj'],
};

/** `name id` for each operand of the finding record at `g` of check `code`; `who` names an actor +
 *  1. */
function operands(h: Int32Array, g: number, code: string, who: (id: number) => string): string[] {
  const first = h[g + G_AUX]!;
  // The owner check of an unlock (aux: the actor + 1 that held the mutex then, 0 when free).
  if (code === 'MUTEX_UNLOCK_NOT_OWNER') return [`lock ${h[g + G_OBJ]}`, first > 0 ? `held by ${who(first)}` : 'free'];
  const [obj, aux] = OPERANDS[code] ?? ['object'];
  return [`${obj} ${h[g + G_OBJ]}`, ...(aux !== undefined && first > 0 ? [`${aux} ${first - 1}`] : [])];
}

/**
 * Findings about memory the exporter let go while an importer's mapping of it was live (S3, S4),
 * pages freed twice and pipelined moves into pages the buffer does not own: [what the reporter
 * did, the object], then the mapping that was still live — who made it, when, through which
 * attachment (aux: [mapper + 1, map step, attachment + 1, pages]) — or, for a bad free or move,
 * who allocated and first freed the page when the check recorded it (aux: [freer + 1, free step,
 * allocator + 1, 0]).
 */
const HOLDER: Readonly<Record<string, readonly [string, string]>> = {
  REUSE_BEFORE_UNMAP: ['reset', 'page'], REMOVE_WITH_MAPPINGS: ['removed', 'dma-buf'], PAGE_BAD_FREE: ['freed again', 'page'],
  PAGE_BAD_MOVE: ['move started', 'page'], REVOKE_LIVE_MAPPINGS: ['revoke returned', 'dma-buf'],
};

/** The checks whose records name a live mapping (aux words [mapper + 1, map step, attachment + 1,
 *  count]), and what the fourth word counts (undefined: it is 0). The counted ones are no
 *  KASAN-style report: they have their own head (COUNT_TEXT). */
export const MAPPING_COUNT: Readonly<Record<string, 'pages' | 'mappings' | undefined>> = {
  REUSE_BEFORE_UNMAP: undefined, REMOVE_WITH_MAPPINGS: 'pages', REVOKE_LIVE_MAPPINGS: 'mappings',
};

const COUNT_TEXT: Readonly<Record<'pages' | 'mappings', (n: number) => string>> = {
  pages: (n) => `${n} page${n === 1 ? '' : 's'} `,
  mappings: (n) => `first of ${n} live mapping${n === 1 ? '' : 's'}: `,
};

/** The HOLDER findings about one page's own history (no mapping involved). */
const PAGE_HISTORY: ReadonlySet<string> = new Set(['PAGE_BAD_FREE', 'PAGE_BAD_MOVE']);

/** The report of a HOLDER finding at `g`, recorded by task `by`; `who` names an actor + 1. */
function holderMessage(a: Arena, g: number, spec: WarnSpec, fn: string, by: string, who: (id: number) => string): string {
  const h = a.i32;
  const [did, object] = HOLDER[spec.name]!;
  const aux = (i: number): number => h[g + G_AUX + i]!;
  const counted = MAPPING_COUNT[spec.name];
  const count = counted === undefined ? undefined : COUNT_TEXT[counted];
  // A model assertion (REVOKE_LIVE_MAPPINGS) prints as a WARN does; the rest as the BUG they are.
  const head = count === undefined ? `BUG: KASAN-style ${spec.kind} in ${fn}` : `${spec.kind === 'assertion' ? 'WARNING' : 'BUG'}: ${spec.kind} in ${fn}`;
  const line = `  ${did} by ${by} at step ${h[g + G_STEP]}: ${object} ${h[g + G_OBJ]}`;
  if (PAGE_HISTORY.has(spec.name)) {
    return [head, spec.what, line, ...(aux(0) > 0 ? [`  allocated by ${who(aux(2))}, first freed by ${who(aux(0))} at step ${aux(1)}`] : [])].join('\n');
  }
  const pages = count !== undefined ? count(aux(3)) : '';
  const through = aux(2) > 0 ? `through attachment ${aux(2) - 1}` : 'without an attachment';
  return [head, spec.what, line, `  ${pages}mapped by ${who(aux(0))} at step ${aux(1)} ${through}`].join('\n');
}

/** The report of a leak found at trial end. */
export function leakMessage(l: Leak): string {
  return `BUG: leak at trial end: ${l.what} (should have been released by ${l.fn})`;
}
