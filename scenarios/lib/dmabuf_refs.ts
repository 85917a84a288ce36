/**
 * Who holds the file references of a scenario's dma-buf, so that the trial ends with the buffer
 * released, as a kernel developer's test module leaves nothing behind: setup exports the buffer
 * (one reference: the fd the exporter's ioctl returns), then takes one more for every other actor
 * that uses it, as each importer's import takes its own with dma_buf_get(fd) while the fd is
 * still open. Every such actor drops its reference when it is done (`withDmaBufRef`), the
 * exporter's actor dropping the fd's after its device is closed or removed; the last put releases
 * the buffer in whichever task makes it. A scenario that forgets one is reported at trial end
 * (LEAK_DMABUF, `leak in dma_buf_put`).
 */
import type { ActorDef } from '../../src/exec/scenario.js';
import { dma_buf_get, dma_buf_put, type DmaBuf, type KGen, type Task } from '../../src/kernel/index.js';

/**
 * Setup: take `n` more file references on `db`, one for each actor that will use the buffer
 * beside the holder of the export's own. Context: setup task, before any actor runs.
 */
export function dmabufRefsFor(t: Task, db: DmaBuf, n: number): void {
  for (let i = 0; i < n; i++) dma_buf_get(t, db);
}

/**
 * Run `body` (an actor's work on `db`), then drop the one file reference setup handed the actor.
 * Returns what `body` returned. A body that oopses never puts: the trial ends there anyway.
 */
export function* withDmaBufRef<T>(t: Task, db: DmaBuf, body: KGen<T>): KGen<T> {
  const ret = yield* body;
  yield* dma_buf_put(t, db);
  return ret;
}

/**
 * `list` with every actor holding one file reference on its environment's dma-buf (`db(env)`),
 * dropped when its run ends (withDmaBufRef). Setup takes `list.length - 1` of them with
 * dmabufRefsFor: the export's own goes to the first actor.
 */
export function eachHoldingDmaBufRef<E>(list: readonly ActorDef<E>[], db: (e: E) => DmaBuf): ActorDef<E>[] {
  return list.map((a) => ({ name: a.name, run: (t: Task, e: E) => withDmaBufRef(t, db(e), a.run(t, e)) }));
}
