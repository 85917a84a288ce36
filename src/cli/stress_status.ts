/**
 * The stress command's live status line: one line on stderr, redrawn in place, only on a TTY and
 * never when stdout carries the JSON document.
 */
import type { StressSnapshot } from '../campaign/stress_run.js';
import { fmtNs, fmtRate } from '../campaign/stress_format.js';
import type { CliStream } from './io.js';

export interface StatusLine {
  update(s: StressSnapshot): void;
  stop(): void;
}

const NONE: StatusLine = { update() {}, stop() {} };

/** The one-line text for `s` (also what tests check). */
export function statusText(scenario: string, s: StressSnapshot): string {
  const p99 = s.revokes > 0 ? fmtNs(s.revokeP99Ns) : '-';
  return `${scenario} ${(s.elapsedMs / 1000).toFixed(1)}/${(s.durationMs / 1000).toFixed(1)} s  trials ${s.trials}  ` +
    `revokes ${s.revokes}  revoke p99 ${p99}  DMA ${fmtRate(s.dmaBytesPerSec)}`;
}

/** A status line for `scenario` on `stream`, or a no-op when disabled or `stream` is not a
 *  terminal. */
export function statusLine(stream: CliStream, enabled: boolean, scenario: string): StatusLine {
  if (!enabled || stream.isTTY !== true) return NONE;
  let shown = false;
  return {
    update(s) {
      const cols = stream.columns || 120;
      stream.write(`\r\x1b[K${statusText(scenario, s).slice(0, Math.max(20, cols - 1))}`);
      shown = true;
    },
    stop() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
