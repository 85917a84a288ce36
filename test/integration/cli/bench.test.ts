/** `dmabuf-harness bench --write FILE` checks FILE before measuring anything: a bad target is one
 *  line and exit 2, and the file is left as it was. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../../support/cli.js';

describe('bench --write', () => {
  it('refuses a missing target with one line and exit 2', () => {
    const r = cli('bench', '--write', join(tempDir(), 'missing.md'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('refuses a target without bench markers and leaves it untouched', () => {
    const path = join(tempDir(), 'BENCHMARKS.md');
    writeFileSync(path, '# Benchmarks\n\nno markers\n');
    const r = cli('bench', '--write', path);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bench: .*BENCHMARKS\.md: /);
    expect(readFileSync(path, 'utf8')).toBe('# Benchmarks\n\nno markers\n');
  });
});
