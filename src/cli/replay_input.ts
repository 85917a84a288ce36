/**
 * A replay file made ready to run: validated, its scenario found (the catalog, or the user file
 * it names) and checked against the recorded revision, its parameters resolved, its schedule
 * decoded. Any problem is one HarnessError line naming the file and field.
 */
import { HarnessError } from '../errno/errors.js';
import { resolveParams, scenarioActors, type AnyScenario, type Params } from '../exec/scenario.js';
import type { Decision } from '../exec/result.js';
import { checkReplayFor, readReplayFile, replayDecisions, type ReplayFile } from '../campaign/replay_file.js';
import { catalogScenario, loadScenarioFile } from './scenarios.js';

export interface ReplayInput {
  readonly file: ReplayFile;
  readonly scenario: AnyScenario;
  readonly params: Params;
  readonly decisions: readonly Decision[];
}

/** Load the replay file at `path`. */
export async function loadReplay(path: string): Promise<ReplayInput> {
  const file = readReplayFile(path);
  const source = file.scenario.source;
  const scenario = source === undefined
    ? await scenarioOf(path, 'scenario.id', () => catalogScenario(file.scenario.id))
    : (await scenarioOf(path, 'scenario.source', () => loadScenarioFile(source))).find((e) => e.scenario.name === file.scenario.id)?.scenario;
  if (scenario === undefined) throw new HarnessError('ERR_REPLAY_FILE', `${path}: scenario.id: ${source} exports no scenario ${file.scenario.id}`);
  checkReplayFor(path, file, scenario);
  // Replayed under inline or controlled (a stress recording under controlled): scheduledRules hold.
  const params = resolveParams(scenario, file.params, { code: 'ERR_REPLAY_FILE', where: (_s, k) => `${path}: params.${k}` }, true);
  await scenarioOf(path, 'params', () => scenarioActors(scenario, params));
  return { file, scenario, params, decisions: replayDecisions(path, file) };
}

/** `f()`, a HarnessError it throws made ERR_REPLAY_FILE naming `path` and `field`. */
async function scenarioOf<T>(path: string, field: string, f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof HarnessError) throw new HarnessError('ERR_REPLAY_FILE', `${path}: ${field}: ${err.message}`);
    throw err;
  }
}
