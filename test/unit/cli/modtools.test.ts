/**
 * The symbol-namespace subcommands end to end: the built CLI (`dist/src/cli/main.js`) is run as
 * a child process on module sources copied into a temp dir; its refusals of bad input run in this
 * process (cliInProcess).
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, ROOT_URL, cli, cliInProcess, cliRuns, tempDir, type CliRun as Run } from '../../support/cli.js';

const FIXTURES = join(ROOT, 'test/fixtures/modules');

/**
 * A copy of a fixture module in a fresh temp dir, its relative imports of the harness turned
 * into absolute file URLs of the built harness so the copy stays an importable module.
 */
function copyFixture(file: string): string {
  const text = readFileSync(join(FIXTURES, file), 'utf8').replaceAll("'../../../src/", `'${ROOT_URL.href}dist/src/`);
  expect(text).toContain(`${ROOT_URL.href}dist/src/kernel/module/define.js`);
  const p = join(tempDir(), file);
  writeFileSync(p, text);
  return p;
}

function tempModule(name: string, text: string): string {
  const p = join(tempDir(), name);
  writeFileSync(p, text);
  return p;
}

/** The one line `after` has in addition to `before` (fails unless that is the whole diff). */
function addedLine(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length + 1);
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  expect([...b.slice(0, i), ...b.slice(i + 1)]).toEqual(a);
  return b[i]!;
}

/** Exit 2, one stderr line naming `path`, nothing on stdout. */
function expectBadInput(r: Run, path: string): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(path);
}

describe('dmabuf-harness modpost / nsdeps: the missing-import round trip (M2, M9)', () => {
  it('modpost errs on the missing DMA_BUF import, nsdeps adds exactly one entry, idempotently, and modpost is then clean', { timeout: cliRuns(5) }, () => {
    const mod = copyFixture('m2_noimport.ts');
    const before = readFileSync(mod, 'utf8');

    const first = cli('modpost', mod);
    expect(first.code).toBe(1);
    expect(first.stdout).toBe('');
    const lines = first.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ERROR: modpost: /);
    for (const part of ['dma_buf_get', 'DMA_BUF', 'dmabuf_m2_noimport']) expect(lines[0]).toContain(part);
    const warned = cli('modpost', '-N', mod);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/^WARNING: modpost: .*dma_buf_get.*DMA_BUF/);

    const fix = cli('nsdeps', mod);
    expect(fix.code).toBe(0);
    expect(fix.stderr).toBe('');
    expect(fix.stdout).toContain('DMA_BUF');
    expect(fix.stdout).toContain('dmabuf_m2_noimport');
    const after = readFileSync(mod);
    expect(addedLine(before, after.toString('utf8'))).toMatch(/^\s*importNs: \['DMA_BUF'\],$/);

    const again = cli('nsdeps', mod);
    expect(again).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(mod).equals(after)).toBe(true);
    expect(readdirSync(join(mod, '..'))).toEqual([basename(mod)]);

    expect(cli('modpost', mod)).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('dmabuf-harness modpost / modinfo / nsdeps: reading modules', () => {
  it('modinfo prints filename, name, license and one import_ns line per import', () => {
    const p = join(FIXTURES, 'm1_importer.ts');
    const r = cli('modinfo', p);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`filename: ${p}\nname: dmabuf_m1_importer\nlicense: GPL v2\nimport_ns: DMA_BUF\n`);
  });

  it("follows source: new URL('<file>', import.meta.url) to the file that uses the symbols", () => {
    const r = cli('modpost', 'scenarios/namespace-missing-import.ts', 'scenarios/namespace-imported.ts');
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('nsdemo_noimport uses symbol dma_buf_export from namespace DMA_BUF');
    expect(lines[1]).toContain('nsdemo_noimport uses symbol dma_buf_put from namespace DMA_BUF');
  });

  it('--kernel v3 has the ib_uverbs-only invalidate stub; on final it is undefined', { timeout: cliRuns(4) }, () => {
    const p = tempModule('mlx5.js', "defineModule({ name: 'mlx5_ib', license: 'GPL', importNs: ['DMA_BUF'], "
      + 'source: import.meta.url });\nexport const f = (k) => k.dma_buf_unsupported_invalidate_mappings();\n');
    const v3 = cli('modpost', '--kernel', 'v3', p);
    expect(v3.code).toBe(1);
    expect(v3.stderr).toContain('dma_buf_unsupported_invalidate_mappings from namespace module:ib_uverbs');
    const fin = cli('modpost', p);
    expect(fin.code).toBe(1);
    expect(fin.stderr).toContain('"dma_buf_unsupported_invalidate_mappings" [mlx5_ib.ko] undefined!');
    expect(cli('nsdeps', '--kernel', 'v3', p).code).toBe(0);
    expect(cli('modpost', '--kernel', 'v9', p).code).toBe(2);
  });
});

describe('dmabuf-harness modpost: multi-file modules', () => {
  it('reads the files a module lists in objects: a use there needs the import too', { timeout: cliRuns(2) }, () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'other.js'), 'export const f = (k) => k.dma_buf_get(1);\n');
    const main = join(dir, 'main.js');
    const decl = (ns: string) => `defineModule({ name: 'multi', license: 'GPL', ${ns}source: import.meta.url, `
      + "objects: [new URL('./other.js', import.meta.url).href] });\n";
    writeFileSync(main, decl(''));
    expect(cli('modpost', main).code).toBe(1);
    writeFileSync(main, decl("importNs: ['DMA_BUF'], "));
    expect(cli('modpost', main).code).toBe(0);
  });

  it('refuses an objects entry it cannot evaluate: exit 2 naming the file', async () => {
    const p = tempModule('badobj.js', "defineModule({ name: 'm', license: 'GPL', source: import.meta.url, objects: ['rel.js'] });\n");
    expectBadInput(await cliInProcess('modpost', p), p);
  });
});

describe('dmabuf-harness modpost / modinfo / nsdeps: bad input', () => {
  it.each(['modpost', 'modinfo', 'nsdeps'])('%s: a nonexistent path is exit 2 with one line naming it', async (cmd) => {
    const p = join(tempDir(), 'missing_module.ts');
    expectBadInput(await cliInProcess(cmd, p), p);
  });

  it.each(['modpost', 'modinfo', 'nsdeps'])('%s: a module source that does not parse is exit 2 and is left unchanged', async (cmd) => {
    const p = copyFixture('m2_noimport.ts');
    writeFileSync(p, `${readFileSync(p, 'utf8')}export const = ;\n`);
    const before = readFileSync(p);
    const r = await cliInProcess(cmd, p);
    expectBadInput(r, p);
    expect(r.stderr).toContain('does not parse');
    expect(readFileSync(p).equals(before)).toBe(true);
  });

  it.each(['modpost', 'modinfo', 'nsdeps'])('%s: a file without defineModule is exit 2 and is left unchanged', async (cmd) => {
    const p = tempModule('plain.ts', 'export const dma_buf = 1;\n');
    const r = await cliInProcess(cmd, p);
    expectBadInput(r, p);
    expect(r.stderr).toContain('expected one defineModule');
    expect(readFileSync(p, 'utf8')).toBe('export const dma_buf = 1;\n');
  });

  it('nsdeps writes nothing when any PATH is bad, even a good one listed first', async () => {
    const good = copyFixture('m2_noimport.ts');
    const before = readFileSync(good);
    const bad = tempModule('computed.ts', "const n = 'x';\ndefineModule({ name: n, license: 'GPL', source: import.meta.url });\n");
    const r = await cliInProcess('nsdeps', good, bad);
    expectBadInput(r, bad);
    expect(r.stderr).toContain('name: expected a string literal');
    expect(readFileSync(good).equals(before)).toBe(true);
  });
});
