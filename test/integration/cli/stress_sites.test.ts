/**
 * `dmabuf-harness stress` titles a finding after the call site its check fired for, when only
 * the actor thread saw that site's name, and saw it first in the trial that found it: an actor
 * thread reports the names it has seen once its actor ran.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliRuns, tempDir } from '../../support/cli.js';

describe('stress finding titles', () => {
  it('name the call site an actor thread first saw in that trial', { timeout: cliRuns(1) }, () => {
    const dir = tempDir();
    const r = cli('stress', 'invalidate-without-lock', '--duration', '1s', '--out', join(dir, 's.json'), '--json', '--no-artifacts');
    expect(r.code, r.stderr).toBe(1);
    const titles = (JSON.parse(r.stdout) as { findings: { title: string }[] }).findings.map((f) => f.title);
    expect(titles).toContain('lock-not-held in dma_buf_invalidate_mappings');
  });
});
