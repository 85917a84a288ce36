/**
 * The harness's own package.json, found beside the code that runs: three levels up from the build
 * (dist/src/exec/package_json.js), two from the sources run through tsx (src/exec/package_json.ts).
 * Throws when neither holds the dmabuf-harness package (a broken install).
 */
import { readFileSync } from 'node:fs';

export interface HarnessPackage {
  /** The file's URL. */
  readonly url: URL;
  readonly version: string;
}

function findPackage(): HarnessPackage {
  for (const rel of ['../../../package.json', '../../package.json']) {
    const url = new URL(rel, import.meta.url);
    try {
      const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'dmabuf-harness' && typeof pkg.version === 'string') return { url, version: pkg.version };
    } catch {
      // try the next candidate
    }
  }
  throw new Error('dmabuf-harness: package.json not found next to the build');
}

export const HARNESS_PACKAGE: HarnessPackage = findPackage();
