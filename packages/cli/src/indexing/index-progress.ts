import { writeLine } from '../cli-context.js';

/** How `twostage index` shows progress: `auto` = a bar on a terminal, nothing otherwise. */
export type ProgressMode = 'auto' | 'plain' | 'none';

/** Reports the steps of a long command. */
export type IndexProgress = {
  /** Starts a step of `total` units (`reading` 120 files, `indexing` 4,000 chunks). */
  start(step: string, total: number, unit: string): void;
  /** Moves the current step forward. */
  advance(amount: number): void;
  /** Ends the display (clears the bar). */
  stop(): void;
};

type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * Progress on `stream` (stderr): with `auto`, a `cli-progress` bar when the stream is a terminal
 * and nothing otherwise, so logs and pipes get only the summary; `plain` writes a line at the
 * start of each step and at every tenth of it (for CI logs); `none` writes nothing.
 */
export async function createIndexProgress(
  mode: ProgressMode,
  stream: ProgressStream,
): Promise<IndexProgress> {
  if (mode === 'none' || (mode === 'auto' && stream.isTTY !== true)) {
    return { start() {}, advance() {}, stop() {} };
  }
  if (mode === 'plain') return plainProgress(stream);
  const cliProgress = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{step} [{bar}] {value}/{total} {unit}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    start(step, total, unit) {
      if (running) bar.stop();
      bar.start(total, 0, { step, unit });
      running = true;
    },
    advance(amount) {
      if (running) bar.increment(amount);
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

function plainProgress(stream: ProgressStream): IndexProgress {
  let step = '';
  let unit = '';
  let total = 0;
  let value = 0;
  let tenths = 0;
  return {
    start(name, size, unitName) {
      step = name;
      unit = unitName;
      total = size;
      value = 0;
      tenths = 0;
      writeLine(stream, `${step}: 0/${total} ${unit}`);
    },
    advance(amount) {
      value += amount;
      const reached = total === 0 ? 10 : Math.floor((value * 10) / total);
      if (reached > tenths) {
        tenths = reached;
        writeLine(stream, `${step}: ${value}/${total} ${unit}`);
      }
    },
    stop() {},
  };
}
