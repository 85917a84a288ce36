/** Output paths are checked before the work that fills them starts. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWritable } from '../../../src/campaign/artifacts.js';
import { tempDir } from '../../support/cli.js';

const codeOf = (f: () => unknown): string => {
  try { f(); return 'none'; } catch (err) { return (err as { code: string }).code; }
};

describe('checkWritable', () => {
  it('accepts a new file in an existing directory, and an existing file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'old.json'), '{}');
    expect(codeOf(() => checkWritable('--out', join(dir, 'new.json')))).toBe('none');
    expect(codeOf(() => checkWritable('--out', join(dir, 'old.json')))).toBe('none');
  });

  it.each([
    ['a directory', (dir: string) => { mkdirSync(join(dir, 'sub')); return join(dir, 'sub'); }],
    ['a file under a missing directory', (dir: string) => join(dir, 'missing', 'r.json')],
    ['a file under a regular file', (dir: string) => { writeFileSync(join(dir, 'f'), ''); return join(dir, 'f', 'r.json'); }],
  ])('refuses %s (ERR_OUTPUT)', (_name, make) => {
    expect(codeOf(() => checkWritable('--out', make(tempDir())))).toBe('ERR_OUTPUT');
  });
});
