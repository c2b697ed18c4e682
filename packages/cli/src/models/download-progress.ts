import type { DownloadProgressEvent } from '@twostage/provider-local-onnx';
import { formatBytes } from './format-bytes.js';

/** Reports model downloads on a stream; `finish` ends a progress line left open. */
export type DownloadProgress = {
  /** Pass as the provider's `onDownloadProgress`. */
  onProgress: (event: DownloadProgressEvent) => void;
  /** Whether any file was actually downloaded (not only found in the cache). */
  readonly downloaded: boolean;
  /** Ends the current progress line, if one is open. */
  finish: () => void;
};

/**
 * Progress of model downloads on `stream`: on a terminal, one line per file rewritten in place
 * (`onnx/model.onnx  45.2 MB / 118.6 MB  38%`, at most ten times a second), and `heading` printed
 * once before the first download; elsewhere (a pipe, a log file, CI) nothing at all.
 */
export function createDownloadProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  heading: string | undefined,
): DownloadProgress {
  const interactive = stream.isTTY === true;
  let downloaded = false;
  let open = false;
  let lastDraw = 0;
  const draw = (text: string) => {
    stream.write(`\r\u001b[2K${text}`);
    open = true;
  };
  const finish = () => {
    if (open) stream.write('\n');
    open = false;
  };
  const onProgress = (event: DownloadProgressEvent) => {
    if (event.status === 'initiate') {
      if (!downloaded && heading !== undefined && interactive) stream.write(`${heading}\n`);
      downloaded = true;
    }
    if (!interactive) return;
    if (event.status === 'waiting') {
      draw(`  ${event.file}  waiting for another twostage process downloading it`);
    } else if (event.status === 'progress') {
      const now = Date.now();
      if (now - lastDraw < 100) return;
      lastDraw = now;
      const total = event.total;
      draw(
        total === undefined || total === 0
          ? `  ${event.file}  ${formatBytes(event.loaded)}`
          : `  ${event.file}  ${formatBytes(event.loaded)} / ${formatBytes(total)}  ${Math.floor((100 * event.loaded) / total)}%`,
      );
    } else if (event.status === 'done' && downloaded) {
      draw(`  ${event.file}  ${formatBytes(event.loaded)}  done`);
      finish();
    }
  };
  return {
    onProgress,
    get downloaded() {
      return downloaded;
    },
    finish,
  };
}
