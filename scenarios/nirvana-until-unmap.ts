/**
 * S3 fixed twin: revoke redirects importers' DMA addresses to the nirvana page and waits for every
 * unmap before the device memory is reused; read-ahead until unmap sees only the dummy page. The
 * importers' jobs write (WRITE fences), so a write reaching a redirected mapping after the fence
 * wait (DMA_WRITE_NIRVANA) would be reported. Expected: clean.
 */
import { revokeScenario } from './lib/revoke.js';

export const nirvanaUntilUnmap = revokeScenario({
  name: 'nirvana-until-unmap', module: import.meta.url, expect: 'clean',
  description: 'addresses point at nirvana until unmap; reuse only after all unmaps',
  knobs: { nirvana: true, memoryAfterRevoke: 'reuse' },
  params: { usage: 'write' },
});
