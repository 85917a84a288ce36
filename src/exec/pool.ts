/**
 * Actor threads: a piscina pool sized to the actors, reused across trials (a worker costs ~25 ms
 * to start; a trial only resets the arena). One task per actor per trial; a hung trial's workers
 * are terminated with a bounded wait and the pool is rebuilt on next use.
 */
import { Piscina } from 'piscina';
import type { ActorTaskMsg, ActorTaskResult } from './messages.js';
import { withinMs } from './waits.js';

const WORKER = new URL('../../workers/actor.js', import.meta.url).href;

export type Settled = { readonly ok: true; readonly value: ActorTaskResult } | { readonly ok: false; readonly error: unknown };

export class ActorPool {
  private pool: Piscina | null = null;
  /** The destruction of a terminated pool whose threads outlived terminate's bound. */
  private dying: Promise<void> | null = null;
  private readonly threads: number;

  constructor(threads: number) {
    this.threads = threads;
  }

  /** Start one actor task per message; every promise settles (never rejects). */
  runAll(msgs: readonly ActorTaskMsg[]): Promise<Settled>[] {
    const pool = this.ensure();
    return msgs.map((m) => pool.run(m).then(
      (value: ActorTaskResult): Settled => ({ ok: true, value }),
      (error: unknown): Settled => ({ ok: false, error }),
    ));
  }

  /**
   * Terminate every worker, waiting at most `ms`. Returns true when they were gone in time; when
   * not, their termination goes on and `stragglersGone` waits for it.
   */
  async terminate(ms: number): Promise<boolean> {
    const pool = this.pool;
    this.pool = null;
    if (pool === null) return true;
    const dying = pool.destroy().then(() => undefined, () => undefined);
    const gone = await withinMs(dying.then(() => true), ms, false);
    if (!gone) this.dying = dying;
    return gone;
  }

  /**
   * Wait at most `ms` for the threads a terminate left running to be gone. True when none is left
   * (then a new trial's threads can start); false when some still run.
   */
  async stragglersGone(ms: number): Promise<boolean> {
    if (this.dying === null) return true;
    if (!(await withinMs(this.dying.then(() => true), ms, false))) return false;
    this.dying = null;
    return true;
  }

  private ensure(): Piscina {
    if (this.pool === null) {
      this.pool = new Piscina({
        filename: WORKER, minThreads: this.threads, maxThreads: this.threads,
        idleTimeout: 60_000, concurrentTasksPerWorker: 1,
      });
    }
    return this.pool;
  }
}
