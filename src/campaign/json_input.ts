/**
 * JSON documents given as input (replay files, stress results): read and validated with zod,
 * any failure one HarnessError line naming the file, the field and what was expected.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { HarnessError, type ErrorCode } from '../errno/errors.js';

/** The parsed JSON of the file at `path`; throws `code` when it is missing or not JSON. */
export function readJsonFile(path: string, code: ErrorCode, hint = ''): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const errno = (err as NodeJS.ErrnoException).code;
    const why = errno === 'ENOENT' ? 'no such file' : errno === 'EISDIR' ? 'is a directory (expected a JSON file)' : `cannot read (${errno ?? (err as Error).message})`;
    throw new HarnessError(code, `${path}: ${why}${hint}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HarnessError(code, `${path}: not JSON (${(err as Error).message})${hint}`);
  }
}

/** `raw` validated by `schema`; throws `code` naming `where` and the first failing field. */
export function parseJson<T>(schema: z.ZodType<T>, raw: unknown, where: string, code: ErrorCode, hint = ''): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new HarnessError(code, `${where}: ${issue.path.join('.') || '(document)'}: ${issue.message}${hint}`);
}
