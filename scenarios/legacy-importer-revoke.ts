/**
 * S5 (buggy): an exporter that admits a legacy static importer (no importer ops) and revokes
 * without waiting for unmaps; the core never notifies the importer, which keeps DMAing through its
 * pinned mapping. Expected: use-after-revoke.
 */
import { revokeScenario } from './lib/revoke.js';

export const legacyImporterRevoke = revokeScenario({
  name: 'legacy-importer-revoke', module: import.meta.url, expect: 'use-after-revoke',
  description: 'static importer admitted to revocable memory',
  knobs: { checkPeer2peer: false, checkRevocable: false, unmapWait: 'none' }, importer: 'legacy',
  params: { importers: 1, jobs: 3 },
});
