/** The DMA engine job table, at `Layout.jobs`. */

/** DMA engine job: state (JOBS_*), first DMA address (iova id), pages, write?, fence, submitter. */
export const JB_STATE = 0;
export const JB_IOVA = 1;
export const JB_PAGES = 2;
export const JB_WRITE = 3;
export const JB_FENCE = 4;
export const JB_SUBMITTER = 5;
export const JB_ENGINE = 6;
/** Submission ticket from the engine's counter (drivers/dma_engine.ts): the engine runs queued
 *  jobs in ticket order. Written by the submitter before its atomic store of JB_STATE = QUEUED;
 *  read by the engine after it loads QUEUED. */
export const JB_SEQ = 7;
export const JOB_WORDS = 8;
export const JOBS_FREE = 0;
export const JOBS_QUEUED = 1;
export const JOBS_RUNNING = 2;
export const JOBS_DONE = 3;
