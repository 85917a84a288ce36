// The arena's module table holds geometry.modules modules (one record each): a scenario loading
// more is refused when an executor is made for it — before any trial — with ERR_SCENARIO naming
// its file and the field `modules`; one at the capacity runs, its last module at boot's count; a
// scenario whose geometry raises the table runs with one more.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ControlledExecutor } from '../../../src/exec/controlled.js';
import { InlineExecutor } from '../../../src/exec/inline.js';
import type { AnyScenario } from '../../../src/exec/scenario.js';
import { thrown } from '../../support/refusal.js';
import { MM, TABLE, modulesAtCapacity, modulesPastCapacity, modulesPastRaised } from '../../fixtures/refs/many_modules.js';
import { withExecutorSync } from '../../support/executor.js';

/** What one inline trial of `s` records: end, the last module's count before, got, and held. */
function lastModule(s: AnyScenario): unknown[] {
  const r = withExecutorSync(new InlineExecutor(s), (ex) => ex.runTrial(0));
  return [r.end, r.findings.map((f) => f.code), r.user[MM.BEFORE], r.user[MM.GOT], r.user[MM.HELD]];
}

describe('the module table', () => {
  it.each([
    ['inline', (s: AnyScenario) => new InlineExecutor(s).close()],
    ['controlled', (s: AnyScenario) => void new ControlledExecutor(s).close()],
  ])(`refuses a scenario loading ${TABLE + 1} modules when the %s executor is made, naming file and field`, (_kind, make) => {
    const file = fileURLToPath(modulesPastCapacity.module);
    expect(thrown(() => make(modulesPastCapacity))).toBe(
      `ERR_SCENARIO ${file}: scenario modules-past-capacity: modules: expected at most ${TABLE} modules (the arena's module table, geometry.modules), got ${TABLE + 1}`,
    );
  });

  it.each([
    [`${TABLE} modules, the default table`, modulesAtCapacity],
    [`${TABLE + 1} modules, a table raised by the scenario's geometry`, modulesPastRaised],
  ])('runs a scenario of %s: its last module is live at boot and counts a reference', (_what, s) => {
    expect(lastModule(s)).toEqual(['done', [], 0, 1, 1]);
  });
});
