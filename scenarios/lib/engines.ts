/**
 * The DMA engines of the revoke scenarios (scenarios/lib/revoke.ts) and stress-revoke: `engines`
 * engines, importer i driving a context of engine i mod engines, each engine an actor of its own
 * after the exporter and the importers. One place for that layout, the bound on it and the rule
 * that every engine has an importer to feed it.
 */
import type { ParamRule } from '../../src/exec/param_rules.js';
import type { ActorDef } from '../../src/exec/scenario.js';
import { dma_engine_context, dma_engine_create, dma_engine_run, type EngineOptions } from '../../src/drivers/dma_engine.js';
import type { Task } from '../../src/kernel/task.js';

/** The most DMA engines a scenario may run. */
export const MAX_ENGINES = 8;

/** What setup made: the engines, and one context per importer (importer i on engine i mod engines). */
export interface EngineSet {
  readonly engines: readonly number[];
  readonly ctxs: readonly number[];
}

/** Create `engines` DMA engines and a context on one of them for each of `importers` importers.
 *  Setup context (the scenario's setup actor). */
export function createEngines(t: Task, importers: number, engines: number): EngineSet {
  const list = Array.from({ length: engines }, () => dma_engine_create(t));
  const ctxs = Array.from({ length: importers }, (_, i) => dma_engine_context(t, list[i % engines]!));
  return { engines: list, ctxs };
}

/** The actor index of the engine importer `i` feeds: after the exporter (actor 0) and the
 *  `importers` importers (actors 1..importers). */
export function engineActorOf(importers: number, engines: number, i: number): number {
  return 1 + importers + (i % engines);
}

/** The engines' actors, in engine order (they must follow the importers', engineActorOf);
 *  `name(j)` names engine j's actor. */
export function engineActors<E extends { readonly engines: readonly number[] }>(engines: number, opts: EngineOptions, name: (j: number) => string = (j) => `engine${j}`): ActorDef<E>[] {
  return Array.from({ length: engines }, (_, j) => ({ name: name(j), run: (t: Task, e: E) => dma_engine_run(t, e.engines[j]!, opts) }));
}

/** `engines-fed`: an engine without a context to run would exit at once. */
export function enginesFedRule<P extends { engines: number; importers: number }>(): ParamRule<P> {
  return {
    name: 'engines-fed', params: ['engines', 'importers'], holds: (p) => p.engines <= p.importers,
    expected: 'engines ≤ importers (importer i feeds engine i mod engines: each engine has one)',
  };
}
