import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiCallError, ModelNotFoundError } from '@twostage/core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { downloadHubModel, type HubDownloadOptions } from '../src/hub/hub-download.js';
import { createLocalOnnx, type DownloadProgressEvent } from '../src/index.js';
import { optionalModelFiles, requiredModelFiles } from '../src/model/model-files.js';
import { startFakeHub } from './fake-hub.js';
import { fixtureModel, sampleDocuments, sampleQuery } from './fixture-models.js';

const repository = 'synthetic/bert-cross-encoder';
const source = fixtureModel('bert-cross-encoder');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let cacheDirectory: string;
beforeEach(async () => {
  cacheDirectory = await mkdtemp(join(tmpdir(), 'twostage-hub-cache-'));
});
afterEach(async () => {
  await rm(cacheDirectory, { recursive: true, force: true });
});

async function rejection(promise: PromiseLike<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const downloadOptions = (
  endpoint: string,
  overrides: Partial<HubDownloadOptions> = {},
): HubDownloadOptions => ({
  repository,
  revision: 'main',
  files: [...requiredModelFiles, 'onnx/model.onnx'],
  optionalFiles: [...optionalModelFiles],
  cacheDirectory,
  endpoint,
  offline: false,
  provider: 'local-onnx',
  ...overrides,
});

describe('hub download into the cache', () => {
  test('downloads once, verifies, reports progress, then loads offline without the network', async () => {
    const hub = await startFakeHub({ [repository]: source });
    try {
      const events: DownloadProgressEvent[] = [];
      const online = createLocalOnnx({
        cacheDir: cacheDirectory,
        hubEndpoint: hub.endpoint,
        onDownloadProgress: (event) => events.push(event),
      });
      const stage = online.reranker(repository, { worker: false });
      const result = await stage.doRerank({
        query: sampleQuery,
        documents: { type: 'text', values: [...sampleDocuments] },
      });
      await stage.close();

      const directory = join(cacheDirectory, 'hub', 'synthetic', 'bert-cross-encoder', 'main');
      expect(sha256(join(directory, 'onnx', 'model.onnx'))).toBe(
        sha256(join(source, 'onnx', 'model.onnx')),
      );
      expect(existsSync(join(directory, 'onnx', 'model.onnx.partial'))).toBe(false);
      const modelEvents = events
        .filter((event) => event.file === 'onnx/model.onnx')
        .map((event) => event.status);
      expect(modelEvents[0]).toBe('initiate');
      expect(modelEvents).toContain('progress');
      expect(modelEvents.at(-1)).toBe('done');
      const size = (await stat(join(source, 'onnx', 'model.onnx'))).size;
      expect(events.filter((event) => event.file === 'onnx/model.onnx').at(-1)?.loaded).toBe(size);

      const local = createLocalOnnx().reranker(source, { worker: false });
      const expected = await local.doRerank({
        query: sampleQuery,
        documents: { type: 'text', values: [...sampleDocuments] },
      });
      await local.close();
      expect(result.ranking).toEqual(expected.ranking);

      const requestsBefore = hub.requests.length;
      const offline = createLocalOnnx({
        cacheDir: cacheDirectory,
        hubEndpoint: hub.endpoint,
        offline: true,
      }).reranker(repository, { worker: false });
      const again = await offline.doRerank({
        query: sampleQuery,
        documents: { type: 'text', values: [...sampleDocuments] },
      });
      await offline.close();
      expect(again.ranking).toEqual(expected.ranking);
      expect(hub.requests.length).toBe(requestsBefore);
    } finally {
      await hub.close();
    }
  });

  test('offline mode with an empty cache fails naming the missing file, without a request', async () => {
    const hub = await startFakeHub({ [repository]: source });
    try {
      const error = await rejection(
        downloadHubModel(downloadOptions(hub.endpoint, { offline: true })),
      );
      expect(ModelNotFoundError.isInstance(error)).toBe(true);
      expect(error.message).toContain('config.json');
      expect(hub.requests).toEqual([]);
    } finally {
      await hub.close();
    }
  });

  test('a dropped connection keeps the partial file, and the next attempt resumes with Range', async () => {
    const hub = await startFakeHub(
      { [repository]: source },
      { drop: { file: 'onnx/model.onnx', afterBytes: 50_000, times: 1 } },
    );
    try {
      const error = await rejection(downloadHubModel(downloadOptions(hub.endpoint)));
      expect(ApiCallError.isInstance(error)).toBe(true);
      expect((error as ApiCallError).isRetryable).toBe(true);
      const partial = join(
        cacheDirectory,
        'hub',
        'synthetic',
        'bert-cross-encoder',
        'main',
        'onnx',
        'model.onnx.partial',
      );
      expect((await stat(partial)).size).toBe(50_000);

      const directory = await downloadHubModel(downloadOptions(hub.endpoint));
      const ranged = hub.requests.filter(
        (request) => request.url.startsWith('/cdn/') && request.range !== undefined,
      );
      expect(ranged.map((request) => request.range)).toEqual(['bytes=50000-']);
      expect(sha256(join(directory, 'onnx', 'model.onnx'))).toBe(
        sha256(join(source, 'onnx', 'model.onnx')),
      );
      expect(existsSync(partial)).toBe(false);
    } finally {
      await hub.close();
    }
  });

  test('a wrong checksum is a retryable error that leaves neither the file nor the partial', async () => {
    const hub = await startFakeHub({ [repository]: source }, { wrongChecksum: 'onnx/model.onnx' });
    try {
      const error = await rejection(downloadHubModel(downloadOptions(hub.endpoint)));
      expect(ApiCallError.isInstance(error)).toBe(true);
      expect(error.message).toContain('Checksum mismatch for onnx/model.onnx');
      const file = join(
        cacheDirectory,
        'hub',
        'synthetic',
        'bert-cross-encoder',
        'main',
        'onnx',
        'model.onnx',
      );
      expect(existsSync(file)).toBe(false);
      expect(existsSync(`${file}.partial`)).toBe(false);
    } finally {
      await hub.close();
    }
  });

  test('a required file the hub lacks is a ModelNotFoundError naming it; absent optional files are remembered', async () => {
    const hub = await startFakeHub({ [repository]: fixtureModel('bert-cross-encoder-two-labels') });
    try {
      const error = await rejection(
        downloadHubModel(
          downloadOptions(hub.endpoint, { files: ['config.json', 'onnx/model_quantized.onnx'] }),
        ),
      );
      expect(ModelNotFoundError.isInstance(error)).toBe(true);
      expect(error.message).toContain('onnx/model_quantized.onnx');

      await downloadHubModel(downloadOptions(hub.endpoint));
      const count = hub.requests.length;
      await downloadHubModel(downloadOptions(hub.endpoint));
      expect(hub.requests.length).toBe(count);
    } finally {
      await hub.close();
    }
  });

  test('a gated repository answers 401; the token is sent and never appears in the error', async () => {
    const token = 'hf_secret_token_value';
    const hub = await startFakeHub(
      { [repository]: source },
      { requireToken: { repository, token } },
    );
    try {
      const error = await rejection(
        downloadHubModel(downloadOptions(hub.endpoint, { token: 'hf_wrong_token' })),
      );
      expect(ApiCallError.isInstance(error)).toBe(true);
      expect((error as ApiCallError).statusCode).toBe(401);
      expect(error.message).toContain('HF_TOKEN');
      expect(JSON.stringify({ ...error, message: error.message })).not.toContain('hf_wrong_token');
      await downloadHubModel(downloadOptions(hub.endpoint, { token }));
      expect(hub.requests.some((request) => request.authorization === `Bearer ${token}`)).toBe(
        true,
      );
    } finally {
      await hub.close();
    }
  });

  test('HF_ENDPOINT and TWOSTAGE_CACHE_DIR are read when the settings are absent', async () => {
    const hub = await startFakeHub({ [repository]: source });
    const saved = { endpoint: process.env.HF_ENDPOINT, cache: process.env.TWOSTAGE_CACHE_DIR };
    process.env.HF_ENDPOINT = hub.endpoint;
    process.env.TWOSTAGE_CACHE_DIR = cacheDirectory;
    try {
      const stage = createLocalOnnx().reranker(repository, { worker: false });
      await stage.load();
      await stage.close();
      expect(
        existsSync(
          join(
            cacheDirectory,
            'hub',
            'synthetic',
            'bert-cross-encoder',
            'main',
            'onnx',
            'model.onnx',
          ),
        ),
      ).toBe(true);
      expect(hub.requests.length).toBeGreaterThan(0);
    } finally {
      if (saved.endpoint === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = saved.endpoint;
      if (saved.cache === undefined) delete process.env.TWOSTAGE_CACHE_DIR;
      else process.env.TWOSTAGE_CACHE_DIR = saved.cache;
      await hub.close();
    }
  });
});
