/** The harness version, from package.json: replay files record it and refuse other versions. */
import { readFileSync } from 'node:fs';

function packageVersion(): string {
  // dist/src/campaign/version.js → package.json three levels up (the same from src/ via tsx).
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'dmabuf-harness' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  throw new Error('dmabuf-harness: package.json not found next to the build');
}

export const HARNESS_VERSION = packageVersion();
