/**
 * An executor's lifetime in a test: made, used, closed however the test ends (its actor threads,
 * under controlled and stress, end only at close()).
 */

/** Anything with the executors' close(): synchronous (inline) or not (controlled, stress). */
export interface Closable { close(): void | Promise<void> }

/**
 * `use(ex)`, then `ex.close()` whether `use` returned or threw (an assertion failing in `use`
 * still ends the executor's threads). Resolves to what `use` returned, rejects with what it threw.
 */
export async function withExecutor<X extends Closable, R>(ex: X, use: (ex: X) => R | Promise<R>): Promise<R> {
  try {
    return await use(ex);
  } finally {
    await ex.close();
  }
}

/** withExecutor for an executor with a synchronous close() (inline) used synchronously: returns what `use` returned. */
export function withExecutorSync<X extends { close(): void }, R>(ex: X, use: (ex: X) => R): R {
  try {
    return use(ex);
  } finally {
    ex.close();
  }
}
