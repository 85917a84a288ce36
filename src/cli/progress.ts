/**
 * The campaign progress bar: on a TTY only (stderr), never with --json. One bar per scenario,
 * counting trials against the budget.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  scenario(name: string, index: number): void;
  trials(n: number): void;
  stop(): void;
}

const NONE: Progress = { scenario() {}, trials() {}, stop() {} };

/** A progress bar over `total` scenarios of `budget` trials each, or a no-op off a TTY. */
export function progressBar(enabled: boolean, total: number, budget: number): Progress {
  if (!enabled || process.stderr.isTTY !== true) return NONE;
  const bar = new cliProgress.SingleBar({
    format: 'scenario {n}/{of} {scenario} [{bar}] {value}/{budget} trials', stream: process.stderr, hideCursor: true, clearOnComplete: true,
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
