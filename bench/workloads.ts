/** Scenarios the benchmarks drive. */
import { defineScenario } from '../src/exec/scenario.js';
import { cond_resched, type KGen, type Task } from '../src/kernel/index.js';

/** `actors` actors, each making `yields` plain scheduling points: measures pure handoff cost. */
export const pingPong = defineScenario({
  name: 'bench-ping-pong', module: import.meta.url, expect: 'clean',
  params: { actors: 2, yields: 1000 },
  geometry: { decisions: 1 << 18 },
  setup: () => ({}),
  actors: (p) => Array.from({ length: p.actors }, (_, i) => ({
    name: `a${i}`,
    run: function* (t: Task): KGen<void> {
      for (let k = 0; k < p.yields; k++) yield* cond_resched(t, k & 0xff);
    },
  })),
});
