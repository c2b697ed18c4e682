import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDownloadProgress } from '../src/models/download-progress.js';
import { fetchWithAnswerTimeout } from '../src/models/fetch-with-answer-timeout.js';

/** A stream that records what was written, presenting itself as a terminal or not. */
function recordingStream(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let written = '';
  stream.on('data', (chunk: Buffer) => {
    written += chunk.toString('utf8');
  });
  return { stream, written: () => written };
}

describe('download progress', () => {
  test('on a terminal: the heading once, one line per file rewritten in place, then done', async () => {
    const { stream, written } = recordingStream(true);
    const progress = createDownloadProgress(stream, 'Downloading owner/model');
    const file = 'onnx/model.onnx';
    progress.onProgress({ status: 'cached', file: 'config.json', loaded: 10, total: 10 });
    progress.onProgress({ status: 'initiate', file, loaded: 0, total: undefined });
    progress.onProgress({ status: 'progress', file, loaded: 1500, total: 3000 });
    progress.onProgress({ status: 'done', file, loaded: 3000, total: 3000 });
    progress.onProgress({
      status: 'initiate',
      file: 'tokenizer.json',
      loaded: 0,
      total: undefined,
    });
    progress.finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).toBe(
      'Downloading owner/model\n' +
        '\r\u001b[2K  onnx/model.onnx  1.5 kB / 3.0 kB  50%' +
        '\r\u001b[2K  onnx/model.onnx  3.0 kB  done\n',
    );
    expect(progress.downloaded).toBe(true);
  });

  test('elsewhere (a pipe, a log): nothing at all, and files found in the cache count as no download', async () => {
    const { stream, written } = recordingStream(false);
    const progress = createDownloadProgress(stream, 'Downloading owner/model');
    progress.onProgress({ status: 'cached', file: 'config.json', loaded: 10, total: 10 });
    expect(progress.downloaded).toBe(false);
    progress.onProgress({
      status: 'initiate',
      file: 'onnx/model.onnx',
      loaded: 0,
      total: undefined,
    });
    progress.onProgress({ status: 'progress', file: 'onnx/model.onnx', loaded: 5, total: 10 });
    progress.finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).toBe('');
    expect(progress.downloaded).toBe(true);
  });
});

describe('hub requests that get no answer', () => {
  let silent: Server;
  let endpoint: string;

  beforeAll(async () => {
    // Accepts connections and never answers: a network that swallows packets past a proxy.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  test('fail after the answer timeout with a message naming the host', async () => {
    const fetchBounded = fetchWithAnswerTimeout(200);
    await expect(fetchBounded(`${endpoint}/owner/model/resolve/main/config.json`)).rejects.toThrow(
      `no answer from ${endpoint} within 0.2 s`,
    );
  });

  test("a refused connection is reported in the operating system's words", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await expect(fetchWithAnswerTimeout(5_000)(`http://127.0.0.1:${port}/x`)).rejects.toThrow(
      `connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });

  test("the caller's own abort is passed through untouched", async () => {
    const controller = new AbortController();
    const pending = fetchWithAnswerTimeout(5_000)(`${endpoint}/x`, { signal: controller.signal });
    controller.abort(new Error('stopped by the caller'));
    await expect(pending).rejects.toThrow('stopped by the caller');
  });
});
