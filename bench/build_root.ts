/**
 * The harness of another checkout's build, for A/B benches (`--root DIR`): its dist/ hunt() and
 * catalog, imported by path, so two commits run the same bench script side by side.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Build {
  readonly root: string;
  readonly hunt: typeof import('../src/campaign/hunt.js').hunt;
  readonly catalog: typeof import('../scenarios/index.js').CATALOG;
}

/** This checkout's root (bench scripts run as dist/bench/*.js). */
export const THIS_ROOT = resolve(import.meta.dirname, '../..');

/** Import the build under `root` (its dist/ must exist: `npx tsc -p tsconfig.json` there). */
export async function importBuild(root: string): Promise<Build> {
  const at = (p: string): string => pathToFileURL(`${root}/dist/${p}`).href;
  const { hunt } = await import(at('src/campaign/hunt.js')) as typeof import('../src/campaign/hunt.js');
  const { CATALOG } = await import(at('scenarios/index.js')) as typeof import('../scenarios/index.js');
  return { root, hunt, catalog: CATALOG };
}
