import type { Layout } from './arena_map.js';
import { ATTACH_WORDS } from './attachments.js';
import {
  C_NEXT_ATTACH, C_NEXT_CB, C_NEXT_CTX, C_NEXT_DEVICE, C_NEXT_DMABUF, C_NEXT_FENCE, C_NEXT_IOVA, C_NEXT_JOB, C_NEXT_MUTEX,
  C_NEXT_PRIV, C_NEXT_RESV,
} from './control.js';
import { DEVICE_WORDS } from './devices.js';
import { DMABUF_WORDS } from './dma_bufs.js';
import { CB_WORDS } from './fence_callbacks.js';
import { FENCE_WORDS } from './fences.js';
import { FINDING_WORDS, G_CODE } from './findings.js';
import { IOVA_WORDS } from './iovas.js';
import { JOB_WORDS } from './jobs.js';
import { MUTEX_WORDS } from './mutexes.js';
import { PAGE_WORDS, PG_STATE } from './pages.js';
import { PRIV_BLOCK_WORDS } from './priv_blocks.js';
import { VMA_ROWS, VMA_WORDS, VM_OWNER } from './vmas.js';
import { CTX_WORDS } from './ww_ctxs.js';

/**
 * A table whose rows are taken lowest first, so that the rows a trial wrote are a prefix of it and
 * a trial reset zeroes only that prefix. Its length is either the control word `cursor` (a bump
 * allocator's cursor, freed rows being reused below it: rows at and past it stay zero during a
 * trial), or, when `cursor` is -1, the rows up to the first whose word `key` is zero: a row is
 * taken by making its key non-zero (a CAS) before any other word of it is written, and its key
 * never returns to zero within a trial.
 */
export interface CursorTable {
  readonly base: number;
  readonly stride: number;
  readonly rows: number;
  readonly cursor: number;
  readonly key: number;
}

/**
 * The cursor tables of layout `l`, in arena order. A trial reset zeroes only the prefix of each
 * that a trial wrote (Arena.resetTrial): a canonical trial touches a few rows of tables sized for
 * the largest scenario. Keyed: findings (G_CODE; kernel/task.ts recordFinding claims the first free
 * slot) and pages from page 1 (PG_STATE; kernel/memory.ts claims the first free page, and a page
 * is never free again within a trial) — page 0, the nirvana page, is written by boot rather than
 * taken, and is zeroed with the words between tables — and the vmas (VM_OWNER;
 * kernel/cpu_mapping.ts vm_area_alloc claims the first free row). The other tables (actors,
 * classes, user words, modules, the private shadow: priv_shadow.ts) and the words between tables
 * are zeroed whole.
 */
export function cursorTables(l: Layout): readonly CursorTable[] {
  const g = l.geometry;
  const t = (base: number, stride: number, rows: number, cursor: number): CursorTable => ({ base, stride, rows, cursor, key: -1 });
  const keyed = (base: number, stride: number, rows: number, key: number): CursorTable => ({ base, stride, rows, cursor: -1, key });
  return [
    t(l.mutexes, MUTEX_WORDS, g.mutexes, C_NEXT_MUTEX), t(l.ctxs, CTX_WORDS, g.ctxs, C_NEXT_CTX),
    t(l.fences, FENCE_WORDS, g.fences, C_NEXT_FENCE), t(l.callbacks, CB_WORDS, g.callbacks, C_NEXT_CB),
    t(l.resvs, l.resvWords, g.resvs, C_NEXT_RESV), keyed(l.findings, FINDING_WORDS, g.findings, G_CODE),
    t(l.dmabufs, DMABUF_WORDS, g.dmabufs, C_NEXT_DMABUF), t(l.attachments, ATTACH_WORDS, g.attachments, C_NEXT_ATTACH),
    keyed(l.pages + PAGE_WORDS, PAGE_WORDS, g.pages - 1, PG_STATE), t(l.iovas, IOVA_WORDS, g.iovas, C_NEXT_IOVA),
    t(l.devices, DEVICE_WORDS, g.devices, C_NEXT_DEVICE), t(l.jobs, JOB_WORDS, g.jobs, C_NEXT_JOB),
    keyed(l.vmas, VMA_WORDS, VMA_ROWS, VM_OWNER),
    t(l.priv, 1, g.privWords, C_NEXT_PRIV), t(l.privBlocks, PRIV_BLOCK_WORDS, g.privWords, C_NEXT_PRIV),
  ];
}
