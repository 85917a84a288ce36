import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../../../../src/errno/errors.js';
import { defineModule } from '../../../../src/kernel/module/define.js';
import { modpost } from '../../../../src/kernel/module/modpost.js';
import { nsdeps, readImportNs } from '../../../../src/kernel/module/nsdeps.js';
import m2 from '../../../fixtures/modules/m2_noimport.js';
import { dmaBufTable } from './support.js';

/** The fixture SOURCE (.ts) folder: dist/test/unit/kernel/module → test/fixtures/modules. */
const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/modules/', import.meta.url));
const dirs: string[] = [];

function tempCopy(file: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'nsdeps-'));
  dirs.push(dir);
  const dst = join(dir, file);
  copyFileSync(join(FIXTURES, file), dst);
  return dst;
}

function tempFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'nsdeps-'));
  dirs.push(dir);
  const p = join(dir, 'mod.ts');
  writeFileSync(p, text);
  return p;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('nsdeps (scripts/nsdeps)', () => {
  it('M9: inserts exactly one DMA_BUF import into a module missing it; a re-run changes nothing', () => {
    const copy = tempCopy('m2_noimport.ts');
    const before = readFileSync(copy, 'utf8');
    const def = defineModule({ ...m2, source: pathToFileURL(copy).href });
    const r = modpost([def], dmaBufTable(), { allowMissingNamespaceImports: true });
    expect(r.messages).toEqual([{
      level: 'WARNING', module: 'dmabuf_m2_noimport',
      text: 'module dmabuf_m2_noimport uses symbol dma_buf_get from namespace DMA_BUF, but does not import it.',
    }]);
    expect(modpost([def], dmaBufTable()).messages.map((m) => m.level)).toEqual(['ERROR']);
    const ns = r.nsdeps[0]!.namespaces;
    expect(nsdeps(copy, ns)).toBe(true);
    const after = readFileSync(copy, 'utf8');
    const line = "  importNs: ['DMA_BUF'],\n";
    expect(after.split(line)).toHaveLength(2);
    expect(after.replace(line, '')).toBe(before);
    expect(after).toContain("  license: 'GPL', // MODULE_LICENSE(\"GPL\")\n" + line);
    expect(readImportNs(copy)).toEqual(['DMA_BUF']);
    expect(nsdeps(copy, ns)).toBe(false);
    expect(readFileSync(copy, 'utf8')).toBe(after);
    expect(readdirSync(join(copy, '..'))).toEqual(['m2_noimport.ts']);
  });

  it('merges into an existing array: sorted (LANG=C), unique, rest of the file unchanged', () => {
    const head = "import { defineModule } from './d.js';\n/* keep */ export default defineModule({ name: 'x', ";
    const p = tempFile(`${head}importNs: ["USB", "DMA_BUF", "USB"], license: "GPL", source: import.meta.url });\n`);
    expect(nsdeps(p, ['DMA_BUF', 'AAA', 'Zed'])).toBe(true);
    expect(readFileSync(p, 'utf8'))
      .toBe(`${head}importNs: ["AAA", "DMA_BUF", "USB", "Zed"], license: "GPL", source: import.meta.url });\n`);
    expect(nsdeps(p, ['USB'])).toBe(false);
  });

  it('keeps a multi-line array one entry a line and adds to a single-line object inline', () => {
    const multi = "defineModule({\n  name: 'x',\n  importNs: [\n    'ZZ',\n  ],\n  license: 'GPL',\n});\n";
    const p = tempFile(multi);
    expect(nsdeps(p, ['DMA_BUF'])).toBe(true);
    expect(readFileSync(p, 'utf8')).toBe("defineModule({\n  name: 'x',\n  importNs: [\n    'DMA_BUF',\n    'ZZ',\n  ],\n  license: 'GPL',\n});\n");
    const q = tempFile("m.defineModule({ name: 'x', license: 'GPL' });\n");
    expect(nsdeps(q, ['DMA_BUF'])).toBe(true);
    expect(readFileSync(q, 'utf8')).toBe("m.defineModule({ name: 'x', license: 'GPL', importNs: ['DMA_BUF'] });\n");
  });

  it('refuses module: namespaces and files it cannot edit through the parser', () => {
    const p = tempFile("defineModule({ name: 'x', license: 'GPL' });\n");
    expect(() => nsdeps(p, ['module:kvm'])).toThrow(HarnessError);
    const v = tempFile("const ns = ['A'];\ndefineModule({ name: 'x', license: 'GPL', importNs: ns });\n");
    expect(() => nsdeps(v, ['DMA_BUF'])).toThrow(/importNs is not an array literal/);
    const none = tempFile('export const x = 1;\n');
    expect(() => nsdeps(none, ['DMA_BUF'])).toThrow(/expected one defineModule/);
    expect(nsdeps(none, [])).toBe(false);
  });
});
