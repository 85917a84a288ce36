/**
 * A replay file names the arena layout it was recorded against (`layout`, shm/layout_digest.ts):
 * a fresh recording carries this build's digest and replays; `replay` and `shrink` refuse a file
 * recorded against another layout, or naming none, with exit 2 and one ERR_REPLAY_FILE line naming
 * the file, the field and both digests, before running anything (shrink writes nothing, the file
 * is left as it was). A file from another harness version is refused for its version first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HARNESS_VERSION } from '../../../src/campaign/version.js';
import { LAYOUT_VERSION } from '../../../src/shm/layout.js';
import { layoutDigest } from '../../../src/shm/layout_digest.js';
import { cliInProcess, cliRuns } from '../../support/cli.js';
import { editJson, expectRefusal, recordedReplay } from '../../support/refusal.js';

/** A digest of the same layout version that is not this build's: its first hex digit changed. */
const OTHER = ((hex: string): string => `${LAYOUT_VERSION}:${hex.startsWith('0') ? '1' : '0'}${hex.slice(1)}`)(layoutDigest().split(':')[1] ?? '');

const shrunkPath = (file: string): string => file.replace(/\.replay\.json$/, '.shrunk.replay.json');

describe('replay files name the arena layout they were recorded against', () => {
  it('a fresh recording carries this build\'s layout digest and replays', { timeout: cliRuns(2) }, async () => {
    const file = await recordedReplay();
    expect((JSON.parse(readFileSync(file, 'utf8')) as { layout?: string }).layout).toBe(layoutDigest());
    const r = await cliInProcess('replay', file);
    expect(r.code, r.stderr).toBe(0);
  });

  it.each([
    ['replay', 'another layout', (d: Record<string, unknown>) => ({ ...d, layout: OTHER }), [OTHER]],
    ['shrink', 'another layout', (d: Record<string, unknown>) => ({ ...d, layout: OTHER }), [OTHER]],
    ['replay', 'no layout', ({ layout: _l, ...d }: Record<string, unknown>) => d, []],
    ['shrink', 'no layout', ({ layout: _l, ...d }: Record<string, unknown>) => d, []],
  ] as const)('%s refuses a file recorded against %s, naming the file, the field and the digests', { timeout: cliRuns(2) }, async (cmd, _what, edit, recorded) => {
    const file = await recordedReplay();
    editJson(file, edit);
    const before = readFileSync(file, 'utf8');
    expectRefusal(await cliInProcess(cmd, file), 'ERR_REPLAY_FILE', [file, 'layout:', ...recorded, layoutDigest()]);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(existsSync(shrunkPath(file))).toBe(false);
  });

  it('a file from another harness version without a layout is refused for its version', { timeout: cliRuns(1) }, async () => {
    const file = await recordedReplay();
    editJson(file, ({ layout: _l, ...d }) => ({ ...d, harness: `${HARNESS_VERSION}-older` }));
    expectRefusal(await cliInProcess('replay', file), 'ERR_REPLAY_FILE', [file, 'harness:', `${HARNESS_VERSION}-older`]);
  });
});
