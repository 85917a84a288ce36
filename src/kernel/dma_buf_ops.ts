/**
 * Exporter and importer ops: driver code, registered by name at module import time in every
 * thread. The arena stores an op table's stable id (a hash of its name), so an attachment made by
 * one actor thread finds the same functions in another.
 *
 * Every op is a generator (called with `yield*`): an op may block (an exporter's attach may take
 * the resv lock; an importer's invalidate may take its own mutex). The resv-lock column of
 * kernel-semantics §4.2 says which run with the lock held.
 */
import { HarnessError } from '../errno/errors.js';
import type { Vma } from './cpu_mapping.js';
import { ops_name_hash } from './ops_name_hash.js';
import type { Task } from './task.js';
import type { KGen } from './types.js';

export type DmaDataDirection = 0 | 1 | 2;
export const DMA_BIDIRECTIONAL: DmaDataDirection = 0;
export const DMA_TO_DEVICE: DmaDataDirection = 1;
export const DMA_FROM_DEVICE: DmaDataDirection = 2;

/** struct dma_buf_ops (the subset modelled). Handles are arena ids. */
export interface DmaBufOps {
  /** Unlocked; non-zero aborts the attach. */
  readonly attach?: (t: Task, dmabuf: number, attach: number) => KGen<number>;
  readonly detach?: (t: Task, dmabuf: number, attach: number) => KGen<void>;
  /** Locked. pin and unpin come together or not at all. */
  readonly pin?: (t: Task, attach: number) => KGen<number>;
  readonly unpin?: (t: Task, attach: number) => KGen<void>;
  /** Locked: a mapping handle (> 0) or -errno. */
  readonly map_dma_buf?: (t: Task, attach: number, dir: DmaDataDirection) => KGen<number>;
  readonly unmap_dma_buf?: (t: Task, attach: number, sgt: number, dir: DmaDataDirection) => KGen<void>;
  /** Unlocked, on the last file reference. */
  readonly release?: (t: Task, dmabuf: number) => KGen<void>;
  readonly vmap?: (t: Task, dmabuf: number) => KGen<number>;
  readonly vunmap?: (t: Task, dmabuf: number) => KGen<void>;
  /** Unlocked: set up user vma `vma` (its file and pgoff already the dma-buf's, cpu_mapping.ts);
   *  0 or -errno. PTEs are the fault handler's to install. */
  readonly mmap?: (t: Task, dmabuf: number, vma: Vma) => KGen<number>;
  /** The vm_ops->fault the exporter's mmap installs: page `idx` of `vma` is not present. Returns a
   *  vm_fault_t (cpu_mapping.ts VM_FAULT_NOPAGE after vmf_insert_pfn, or VM_FAULT_SIGBUS); may
   *  sleep. */
  readonly fault?: (t: Task, dmabuf: number, vma: Vma, idx: number) => KGen<number>;
  /** Unlocked (it may take the resv lock); non-zero fails dma_buf_begin_cpu_access before its fence
   *  wait. */
  readonly begin_cpu_access?: (t: Task, dmabuf: number, dir: DmaDataDirection) => KGen<number>;
  /** Unlocked; its return is dma_buf_end_cpu_access's. */
  readonly end_cpu_access?: (t: Task, dmabuf: number, dir: DmaDataDirection) => KGen<number>;
}

/** struct dma_buf_attach_ops. `invalidate_mappings` runs with the resv lock held. */
export interface DmaBufAttachOps {
  readonly allow_peer2peer: boolean;
  readonly invalidate_mappings?: (t: Task, attach: number) => KGen<void>;
}

const EXPORTERS = new Map<number, DmaBufOps>();
const IMPORTERS = new Map<number, DmaBufAttachOps>();
const NAMES = new Map<number, string>();

function idOf(name: string): number {
  return (ops_name_hash(name) >>> 1) | 1;
}

function register<T>(table: Map<number, T>, name: string, ops: T): number {
  const id = idOf(name);
  const prev = table.get(id);
  if (prev !== undefined && prev !== ops) throw new HarnessError('ERR_SCENARIO', `ops ${name}: registered twice with different functions`);
  table.set(id, ops);
  NAMES.set(id, name);
  return id;
}

/** Register exporter ops under a unique name (e.g. `vfio_pci_dmabuf_ops`); returns their id. */
export function registerDmaBufOps(name: string, ops: DmaBufOps): number {
  return register(EXPORTERS, name, ops);
}

/** Register importer ops under a unique name; returns their id (never 0: 0 means static). */
export function registerAttachOps(name: string, ops: DmaBufAttachOps): number {
  return register(IMPORTERS, name, ops);
}

export function exporterOps(id: number): DmaBufOps {
  const ops = EXPORTERS.get(id);
  if (ops === undefined) throw new HarnessError('ERR_SCENARIO', `exporter ops ${id}: not registered in this thread`);
  return ops;
}

/** Importer ops of id, undefined for 0 (a static importer). */
export function importerOps(id: number): DmaBufAttachOps | undefined {
  if (id === 0) return undefined;
  const ops = IMPORTERS.get(id);
  if (ops === undefined) throw new HarnessError('ERR_SCENARIO', `importer ops ${id}: not registered in this thread`);
  return ops;
}

/** Name an ops id was registered under (for reports). */
export function opsName(id: number): string {
  return NAMES.get(id) ?? `ops#${id}`;
}
