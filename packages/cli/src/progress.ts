/** Where progress goes: stderr, or a stand-in in tests. */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const TERMINAL_REDRAW_MS = 100;
const LOG_LINE_EVERY_MS = 2000;
const BAR_WIDTH = 30;

/**
 * Runs `step` with a progress line on stderr: on a terminal one line redrawn in place, else a
 * line every two seconds and one at the end, so logs of scripted runs show how far a long
 * step got. Updates are checked against the clock as they come, so a step that computes
 * without yielding still shows progress.
 */
export async function withProgress<T>(
  label: string,
  total: number,
  step: (update: (done: number) => void) => Promise<T> | T,
  output: ProgressOutput = process.stderr,
  now: () => number = Date.now,
): Promise<T> {
  const started = now();
  const interval = output.isTTY ? TERMINAL_REDRAW_MS : LOG_LINE_EVERY_MS;
  let drawnAt = -Infinity;
  const draw = (done: number) => {
    drawnAt = now();
    const filled = total === 0 ? BAR_WIDTH : Math.floor((done / total) * BAR_WIDTH);
    const text = `${label.padEnd(24)} [${'='.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} ${Math.floor((done / Math.max(total, 1)) * 100)}% ${Math.round((drawnAt - started) / 1000)}s`;
    output.write(output.isTTY ? `\r${text}\x1b[K` : `${text}\n`);
  };
  draw(0);
  try {
    const result = await step((done) => {
      if (now() - drawnAt >= interval) draw(done);
    });
    draw(total);
    return result;
  } finally {
    if (output.isTTY) output.write('\n');
  }
}
