import type { Layout } from './arena_map.js';
import { ATTACH_WORDS } from './attachments.js';
import {
  C_NEXT_ATTACH, C_NEXT_CB, C_NEXT_CTX, C_NEXT_DEVICE, C_NEXT_DMABUF, C_NEXT_FENCE, C_NEXT_IOVA, C_NEXT_JOB, C_NEXT_MUTEX,
  C_NEXT_RESV,
} from './control.js';
import { DEVICE_WORDS } from './devices.js';
import { DMABUF_WORDS } from './dma_bufs.js';
import { CB_WORDS } from './fence_callbacks.js';
import { FENCE_WORDS } from './fences.js';
import { IOVA_WORDS } from './iovas.js';
import { JOB_WORDS } from './jobs.js';
import { MUTEX_WORDS } from './mutexes.js';
import { CTX_WORDS } from './ww_ctxs.js';

/** A table whose rows are handed out only from its cursor (control word `cursor`), freed rows
 *  being reused below it: rows at and past the cursor stay zero during a trial. */
export interface CursorTable {
  readonly base: number;
  readonly stride: number;
  readonly rows: number;
  readonly cursor: number;
}

/**
 * The cursor tables of layout `l`, in arena order. A trial reset zeroes only the rows below each
 * cursor (Arena.resetTrial): a canonical trial touches a few rows of tables sized for the
 * largest scenario. Tables indexed otherwise (pages, findings, driver words) are zeroed whole.
 */
export function cursorTables(l: Layout): readonly CursorTable[] {
  const g = l.geometry;
  const t = (base: number, stride: number, rows: number, cursor: number): CursorTable => ({ base, stride, rows, cursor });
  return [
    t(l.mutexes, MUTEX_WORDS, g.mutexes, C_NEXT_MUTEX), t(l.ctxs, CTX_WORDS, g.ctxs, C_NEXT_CTX),
    t(l.fences, FENCE_WORDS, g.fences, C_NEXT_FENCE), t(l.callbacks, CB_WORDS, g.callbacks, C_NEXT_CB),
    t(l.resvs, l.resvWords, g.resvs, C_NEXT_RESV), t(l.dmabufs, DMABUF_WORDS, g.dmabufs, C_NEXT_DMABUF),
    t(l.attachments, ATTACH_WORDS, g.attachments, C_NEXT_ATTACH), t(l.iovas, IOVA_WORDS, g.iovas, C_NEXT_IOVA),
    t(l.devices, DEVICE_WORDS, g.devices, C_NEXT_DEVICE), t(l.jobs, JOB_WORDS, g.jobs, C_NEXT_JOB),
  ];
}
