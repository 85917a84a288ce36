/**
 * The generated part of the benchmarks document. `npm run bench` writes its run between two
 * marker lines of docs/BENCHMARKS.md (REPORT_BEGIN, REPORT_END) and leaves everything around them,
 * the hand-written analyses, as it was. The target is checked before the suite starts (readable,
 * markers in place, writable), so a wrong path costs no minutes of measuring, and written
 * atomically once the suite is done, so an interrupted run leaves the document as it was.
 */
import { readFileSync } from 'node:fs';
import { checkWritable, writeAtomic } from '../src/campaign/artifacts.js';
import { HarnessError } from '../src/errno/errors.js';

/** The line after which the run goes (the text after `<!-- bench:begin` is a note for editors). */
export const REPORT_BEGIN = '<!-- bench:begin (npm run bench rewrites everything down to bench:end) -->';
export const REPORT_END = '<!-- bench:end -->';
const FLAG = '--write';
/** A path as messages name it (an empty one visibly). */
const shown = (path: string): string => (path === '' ? "''" : path);

const isBegin = (line: string): boolean => line.trimEnd().startsWith('<!-- bench:begin');
const isEnd = (line: string): boolean => line.trimEnd() === REPORT_END;

/**
 * The document `text` (from `path`, for the message) with `block` between its markers, in the
 * begin marker's line ending (CRLF when it has one); the text up to the end of the begin marker
 * line and from the end marker on is kept byte for byte. Throws HarnessError(ERR_OUTPUT) naming
 * the path unless the document has exactly one begin marker line and, after it, exactly one end
 * one.
 */
export function spliceReport(path: string, text: string, block: string): string {
  const parts = text.split(/(\r?\n)/); // line, its ending, line, …, last line
  const lines = parts.filter((_, i) => i % 2 === 0);
  const begins = lines.flatMap((l, i) => (isBegin(l) ? [i] : []));
  const ends = lines.flatMap((l, i) => (isEnd(l) ? [i] : []));
  if (begins.length !== 1 || ends.length !== 1 || ends[0]! < begins[0]!) {
    throw new HarnessError('ERR_OUTPUT', `${FLAG} ${shown(path)}: expected one line starting '<!-- bench:begin' and, after it, one line '${REPORT_END}' (found ${begins.length} and ${ends.length})`);
  }
  const b = begins[0]!;
  const eol = parts[2 * b + 1]!;
  const body = block.trim() === '' ? '' : block.replace(/\n+$/, '').split('\n').map((l) => l + eol).join('');
  return parts.slice(0, 2 * b + 2).join('') + body + parts.slice(2 * ends[0]!).join('');
}

/** Check `path` can take a report (readable, markers in place, writable); its text. Throws
 *  HarnessError(ERR_OUTPUT) naming the path. */
export function readReportTarget(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new HarnessError('ERR_OUTPUT', `${FLAG} ${shown(path)}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  spliceReport(path, text, '');
  checkWritable(FLAG, path);
  return text;
}

/** Write `block` between the markers of `path`, read again now (it may have been edited while
 *  the suite ran), atomically. Throws HarnessError(ERR_OUTPUT) naming the path; the file is
 *  then as it was. */
export function writeReport(path: string, block: string): void {
  writeAtomic(path, spliceReport(path, readReportTarget(path), block));
}
