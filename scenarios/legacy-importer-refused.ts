/**
 * S5 fixed twin: VFIO refuses the static importer at attach (no peer2peer: -EOPNOTSUPP).
 * Expected: clean.
 */
import { revokeScenario } from './lib/revoke.js';

export const legacyImporterRefused = revokeScenario({
  name: 'legacy-importer-refused', module: import.meta.url, expect: 'clean',
  description: 'VFIO refuses static importers',
  knobs: {}, importer: 'legacy', params: { importers: 1, jobs: 3 },
});
