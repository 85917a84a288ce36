/** Output paths are checked before the work that fills them starts; files are written whole. */
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWritable, prepareOutDir, writeAtomicAll } from '../../../src/campaign/artifacts.js';
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
    expect(readdirSync(dir)).toEqual(['old.json']);
  });

  it.skipIf(!existsSync('/proc/self'))('refuses a file in a directory access(2) calls writable that refuses a new file (/proc, as root) (ERR_OUTPUT)', () => {
    expect(codeOf(() => checkWritable('--out', '/proc/dmabuf-harness-r.json'))).toBe('ERR_OUTPUT');
  });

  it('accepts a symbolic link to a file in a directory that takes a new file', () => {
    const [dir, other] = [tempDir(), tempDir()];
    writeFileSync(join(other, 'r.json'), '{}');
    symlinkSync(join(other, 'r.json'), join(dir, 'link.json'));
    expect(codeOf(() => checkWritable('--out', join(dir, 'link.json')))).toBe('none');
    expect([readdirSync(dir), readdirSync(other)]).toEqual([['link.json'], ['r.json']]);
  });

  it.skipIf(!existsSync('/proc/self/status'))('judges a symbolic link by its target\'s directory: one that refuses a new file (/proc) (ERR_OUTPUT)', () => {
    const dir = tempDir();
    symlinkSync('/proc/self/status', join(dir, 'link.json'));
    expect(codeOf(() => checkWritable('--out', join(dir, 'link.json')))).toBe('ERR_OUTPUT');
  });

  it.each([
    ['a directory', (dir: string) => { mkdirSync(join(dir, 'sub')); return join(dir, 'sub'); }],
    ['a file under a missing directory', (dir: string) => join(dir, 'missing', 'r.json')],
    ['a file under a regular file', (dir: string) => { writeFileSync(join(dir, 'f'), ''); return join(dir, 'f', 'r.json'); }],
  ])('refuses %s (ERR_OUTPUT)', (_name, make) => {
    expect(codeOf(() => checkWritable('--out', make(tempDir())))).toBe('ERR_OUTPUT');
  });
});

describe('prepareOutDir', () => {
  it('creates a missing directory, returns the topmost one it created and leaves it empty', () => {
    const dir = tempDir();
    expect(prepareOutDir(join(dir, 'a', 'b'))).toBe(join(dir, 'a'));
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual([]);
    expect(prepareOutDir(join(dir, 'a', 'b'))).toBeUndefined();
  });

  it.skipIf(!existsSync('/proc/self'))('refuses an existing directory access(2) calls writable that refuses a new file (/proc, as root) (ERR_OUTPUT)', () => {
    expect(codeOf(() => prepareOutDir('/proc'))).toBe('ERR_OUTPUT');
  });
});

describe('writeAtomicAll', () => {
  it('writes every file', () => {
    const dir = tempDir();
    writeAtomicAll([[join(dir, 'a.json'), '{}'], [join(dir, 'b.svg'), '<svg/>']]);
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.svg']);
  });

  it('writes none, and leaves no temporary file, when a later one cannot be written (ERR_OUTPUT)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), '');
    const write = (): void => writeAtomicAll([[join(dir, 'a.json'), '{}'], [join(dir, 'plain', 'b.svg'), '<svg/>']]);
    expect(codeOf(write)).toBe('ERR_OUTPUT');
    expect(readdirSync(dir)).toEqual(['plain']);
  });

  it('writes through a symbolic link to its target, keeping the link', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'doc.md'), 'old');
    symlinkSync(join('real', 'doc.md'), join(dir, 'doc.md'));
    writeAtomicAll([[join(dir, 'doc.md'), 'new']]);
    expect(lstatSync(join(dir, 'doc.md')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'doc.md'), 'utf8')).toBe('new');
    expect(readdirSync(join(dir, 'real'))).toEqual(['doc.md']);
  });
});
