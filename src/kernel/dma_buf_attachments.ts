/**
 * A dma-buf's attachment list (`dmabuf->attachments`): dma_buf_dynamic_attach links with
 * list_add, at the head, so list_for_each_entry — dma_buf_invalidate_mappings' walk — meets the
 * newest attachment first. The model keeps the order as a link sequence number per attachment
 * (AT_LINK_SEQ) instead of list pointers; an attachment is on the list while ATF_LINKED is set.
 *
 * Locking: the list is changed and walked with the buffer's resv lock held (the callers hold it).
 */
import { ATF_LINKED, AT_DMABUF, AT_FLAGS, AT_LINK_SEQ, C_NEXT_ATTACH } from '../shm/layout.js';
import type { DmaBuf, DmaBufAttachment } from './dma_buf.js';
import type { Task } from './task.js';

/**
 * list_add(&attach->node, &dmabuf->attachments): put `at` at the head of `db`'s list — its link
 * sequence one above every attachment linked now. Resv lock held.
 */
export function attachment_list_add(t: Task, db: DmaBuf, at: DmaBufAttachment): void {
  let top = 0;
  for (const x of linked(t, db)) top = Math.max(top, t.i32[t.arena.attachment(x) + AT_LINK_SEQ]!);
  const b = t.arena.attachment(at);
  t.i32[b + AT_LINK_SEQ] = top + 1;
  t.i32[b + AT_FLAGS] = ATF_LINKED;
}

/** The attachments on `db`'s list in list_for_each_entry order: newest linked first. Resv lock
 *  held. */
export function dma_buf_attachments(t: Task, db: DmaBuf): DmaBufAttachment[] {
  const seq = (x: DmaBufAttachment): number => t.i32[t.arena.attachment(x) + AT_LINK_SEQ]!;
  return linked(t, db).sort((x, y) => seq(y) - seq(x));
}

/**
 * Whether `at` is still on `db`'s list: a walk over dma_buf_attachments' snapshot checks it before
 * each entry, so an attachment unlinked meanwhile (only possible when the walker does not hold
 * the resv lock, itself reported) is skipped as list_for_each_entry would not reach it.
 */
export function attachment_on_list(t: Task, db: DmaBuf, at: DmaBufAttachment): boolean {
  const b = t.arena.attachment(at);
  return t.i32[b + AT_DMABUF] === db + 1 && (t.i32[b + AT_FLAGS]! & ATF_LINKED) !== 0;
}

/** How many attachments are on `db`'s list (still linked). Any task; a snapshot. */
export function linkedAttachments(t: Task, db: DmaBuf): number {
  return linked(t, db).length;
}

/** Every attachment row of this trial linked to `db`, in row order. */
function linked(t: Task, db: DmaBuf): DmaBufAttachment[] {
  const a = t.arena;
  const n = Math.min(t.i32[t.ctl + C_NEXT_ATTACH]!, a.geometry.attachments);
  const out: DmaBufAttachment[] = [];
  for (let x = 0; x < n; x++) {
    if (attachment_on_list(t, db, x as DmaBufAttachment)) out.push(x as DmaBufAttachment);
  }
  return out;
}
