/**
 * S3 (buggy): revoke waits for the fences but not for the unmaps, and the device memory is reset
 * at once; an importer's hardware read-ahead through its still-live mapping hits reused memory.
 * The importers' jobs write (WRITE fences), as in its fixed twin, where a write through a
 * redirected mapping would be reported. Expected: use-after-free.
 */
import { revokeScenario } from './lib/revoke.js';

export const reuseBeforeUnmap = revokeScenario({
  name: 'reuse-before-unmap', module: import.meta.url, expect: 'use-after-free',
  description: 'exporter reuses the BAR before importers unmapped',
  knobs: { unmapWait: 'none', memoryAfterRevoke: 'reuse' },
  params: { usage: 'write' },
});
