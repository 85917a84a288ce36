/** The DMA engine job table, at `Layout.jobs`. */

/** DMA engine job: state (JOBS_*), first DMA address (iova id), pages, write?, fence, the fence of
 *  the run started last, engine, ticket. */
export const JB_STATE = 0;
export const JB_IOVA = 1;
export const JB_PAGES = 2;
export const JB_WRITE = 3;
export const JB_FENCE = 4;
/** The completion fence handle of the job's run the engine started last: written by the engine
 *  when it starts a run (its JB_FENCE then), before the run's first scheduling point; -1 from the
 *  first submit until then. A resubmit leaves it, so an engine op still pending from the previous
 *  run (its speculative read-ahead) belongs to that run's fence, not the new one. Read by the
 *  scheduler views (exec/prepare.ts, SchedViews.jobFence), which take a handle whose fence was
 *  released since (stale generation, F_GEN) for no fence. */
export const JB_RUN_FENCE = 5;
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
