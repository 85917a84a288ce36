/**
 * A user file that reaches a second copy of the harness — another install imported by path, not
 * as 'dmabuf-harness' — is refused before anything runs (ERR_SCENARIO naming the file, exit 2):
 * the copy's registries and error classes are not the running harness's, and its scenario would
 * fail silently (ops not found, findings mistitled).
 */
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ROOT, cli, cliRuns, tempDir } from '../../support/cli.js';
import { expectRefusal } from '../../support/refusal.js';
import { installHarness } from '../../support/user_scenario.js';

describe('a user file importing a second copy of the harness', () => {
  it.each(['ts', 'js'])('is refused with one line naming the file (.%s)', (ext) => {
    const dir = tempDir();
    installHarness(dir, 'copied');
    // The copy's own dependencies, so that it loads (and, unrefused, would run).
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules', 'dmabuf-harness', 'node_modules'), 'dir');
    const file = join(dir, `second-copy.${ext}`);
    writeFileSync(file, `import { defineScenario } from './node_modules/dmabuf-harness/dist/src/index.js';

export const s = defineScenario({
  name: 'second-copy', module: import.meta.url, params: {}, expect: 'clean',
  setup: () => ({}), actors: () => [{ name: 'a', run: function* () { /* nothing */ } }],
});
`);
    expectRefusal(cli('hunt', file, '--trials', '1', '--no-artifacts'), 'ERR_SCENARIO', [file]);
  }, cliRuns(1));
});
