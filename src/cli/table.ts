/** The campaign table printed by `hunt` / `npm start`. */
import type { HuntReport } from '../campaign/hunt.js';

/** One row per scenario: expected, found, trials to first finding, seconds, verdict. */
export function formatTable(reports: readonly HuntReport[]): string {
  const rows = reports.map((r) => [
    r.scenario, r.expect, r.findings.length === 0 ? 'clean' : [...new Set(r.findings.map((f) => f.kind))].join(','),
    r.firstExpected === null ? (r.expect === 'clean' ? `${r.trials} clean` : `not in ${r.trials}`) : String(r.firstExpected),
    r.seconds.toFixed(2), r.ok ? 'ok' : 'MISSED',
  ]);
  const head = ['scenario', 'expected', 'found', 'trials to first finding', 'seconds', ''];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(width[i]!)).join('  ').trimEnd();
  const missed = reports.filter((r) => !r.ok).length;
  const lost = reports.filter((r) => r.dropped > 0).map((r) => `${r.scenario}: ${r.dropped} finding records lost (findings table full; raise geometry.findings)`);
  return [line(head), ...rows.map(line), '', ...lost, missed === 0 ? `all ${reports.length} expectations met` : `${missed} of ${reports.length} expectations missed`].join('\n');
}
