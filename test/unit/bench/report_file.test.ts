/** The bench report goes between the markers of the benchmarks document, and only there; a
 *  document without a place for it is refused before anything is measured. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_BEGIN, REPORT_END, readReportTarget, spliceReport, writeReport } from '../../../bench/report_file.js';
import { tempDir } from '../../support/cli.js';

const DOC = ['# Benchmarks', '', '## Latest full run', '', REPORT_BEGIN, 'old run', 'old table', REPORT_END, '', '## Analyses', 'kept'].join('\n');

const codeOf = (f: () => unknown): string => {
  try { f(); return 'none'; } catch (err) { return (err as { code: string }).code; }
};

describe('bench report file', () => {
  it('replaces what is between the markers and keeps everything around them', () => {
    const out = spliceReport('doc.md', DOC, 'new run\n| a |');
    expect(out).toBe(['# Benchmarks', '', '## Latest full run', '', REPORT_BEGIN, 'new run', '| a |', REPORT_END, '', '## Analyses', 'kept'].join('\n'));
    expect(spliceReport('doc.md', out, 'new run\n| a |')).toBe(out);
  });

  it.each([
    ['no markers', '# Benchmarks\n'],
    ['only a begin marker', `${REPORT_BEGIN}\n`],
    ['the end before the begin', `${REPORT_END}\n${REPORT_BEGIN}\n`],
    ['two begin markers', `${REPORT_BEGIN}\n${REPORT_BEGIN}\n${REPORT_END}\n`],
    ['two end markers', `${REPORT_BEGIN}\n${REPORT_END}\n${REPORT_END}\n`],
  ])('refuses a document with %s (ERR_OUTPUT)', (_name, text) => {
    expect(codeOf(() => spliceReport('doc.md', text, 'x'))).toBe('ERR_OUTPUT');
  });

  it('finds markers with trailing blanks, and keeps a CRLF document CRLF throughout', () => {
    const crlf = DOC.replace(REPORT_BEGIN, `${REPORT_BEGIN}  `).replace(REPORT_END, `${REPORT_END}\t`).split('\n').join('\r\n');
    const out = spliceReport('doc.md', crlf, 'new run\n| a |\n');
    expect(out).toContain('\r\nnew run\r\n| a |\r\n<!-- bench:end -->');
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('leaves the line endings outside the markers as they were in a mixed document', () => {
    const mixed = DOC.split('\n').map((l, i) => l + (i === 10 ? '' : i % 2 === 0 ? '\r\n' : '\n')).join('');
    const out = spliceReport('doc.md', mixed, 'new run\n| a |');
    const cut = (t: string): [string, string] => [t.slice(0, t.indexOf(REPORT_BEGIN)), t.slice(t.indexOf(REPORT_END))];
    expect(cut(out)).toEqual(cut(mixed));
    expect(out).toContain(`${REPORT_BEGIN}\r\nnew run\r\n| a |\r\n${REPORT_END}`);
  });

  it('refuses a missing file (ERR_OUTPUT)', () => {
    expect(codeOf(() => readReportTarget(join(tempDir(), 'missing.md')))).toBe('ERR_OUTPUT');
  });

  it('writes the file whole, reading it again at write time, and leaves no temporary file', () => {
    const dir = tempDir();
    const path = join(dir, 'BENCHMARKS.md');
    writeFileSync(path, DOC);
    readReportTarget(path);
    writeFileSync(path, DOC.replace('kept', 'edited while the suite ran'));
    writeReport(path, 'new run');
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(`${REPORT_BEGIN}\nnew run\n${REPORT_END}`);
    expect(text).toContain('edited while the suite ran');
    expect(readdirSync(dir)).toEqual(['BENCHMARKS.md']);
  });
});
