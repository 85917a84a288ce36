/**
 * The campaign progress bar: on a TTY only (stderr), never with --json. One bar per scenario,
 * counting trials against the budget.
 */
import cliProgress from 'cli-progress';
import type { CliStream } from './io.js';

export interface Progress {
  scenario(name: string, index: number): void;
  trials(n: number): void;
  stop(): void;
}

const NONE: Progress = { scenario() {}, trials() {}, stop() {} };

/**
 * A progress bar on `stream` over `total` scenarios of `budget` trials each, or a no-op when
 * disabled or `stream` is not a terminal.
 */
export function progressBar(stream: CliStream, enabled: boolean, total: number, budget: number): Progress {
  if (!enabled || stream.isTTY !== true) return NONE;
  const bar = new cliProgress.SingleBar({
    // cli-progress calls write, isTTY and columns on its stream (readline's cursor moves write
    // too).
    format: 'scenario {n}/{of} {scenario} [{bar}] {value}/{budget} trials', stream: stream as NodeJS.WritableStream, hideCursor: true, clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    scenario(name, index) {
      const payload = { scenario: name.padEnd(26), n: index + 1, of: total, budget };
      if (!started) { bar.start(budget, 0, payload); started = true; } else { bar.setTotal(budget); bar.update(0, payload); }
    },
    trials(n) { if (started) bar.update(Math.min(n, budget)); },
    stop() { if (started) bar.stop(); },
  };
}
