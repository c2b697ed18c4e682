import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { InvalidArgumentError, TwostageError } from '@twostage/core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { downloadHubModel, type HubDownloadOptions } from '../src/hub/hub-download.js';
import { createLocalOnnx, twostageProvider } from '../src/index.js';
import { optionalModelFiles, requiredModelFiles } from '../src/model/model-files.js';
import { startFakeHub } from './fake-hub.js';
import { fixtureModel, sampleDocuments, sampleQuery } from './fixture-models.js';
import { runSourceScript, sourceModuleUrl } from './run-source-script.js';

const token = 'hf_SECRETtoken1234567890';
const repository = 'synthetic/bert-cross-encoder';
const source = fixtureModel('bert-cross-encoder');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let cacheDirectory: string;
beforeEach(async () => {
  cacheDirectory = await mkdtemp(join(tmpdir(), 'twostage-local-onnx-safety-'));
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

/** Everything an error could print: message, own fields, and the whole cause chain. */
function everythingPrinted(value: unknown): string {
  const parts = [inspect(value, { depth: 20, showHidden: true })];
  try {
    parts.push(JSON.stringify(value));
  } catch {
    // circular structures cannot be stringified; inspect covered them
  }
  let cause: unknown = value;
  for (let depth = 0; depth < 10 && cause instanceof Error; depth += 1) {
    parts.push(cause.message, String(cause.stack));
    cause = cause.cause;
  }
  return parts.join('\n');
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

describe('the hub token never shows', () => {
  test('not when a provider, stage or model is inspected or serialised, before or after loading', async () => {
    const provider = createLocalOnnx({ hubToken: token, cacheDir: cacheDirectory });
    const stage = provider.reranker(source, { worker: false });
    const model = provider.embeddingModel(fixtureModel('bert-bi-encoder'), { worker: false });
    const fromRegistry = twostageProvider.reranker(source, {
      settings: { hubToken: token, worker: false },
    });
    const fromRegistryModel = twostageProvider.embeddingModel(fixtureModel('bert-bi-encoder'), {
      settings: { hubToken: token, worker: false },
    });
    const everything = [provider, stage, model, fromRegistry, fromRegistryModel];
    try {
      for (const value of everything) {
        expect(inspect(value, { depth: 20, showHidden: true })).not.toContain(token);
        expect(JSON.stringify(value) ?? '').not.toContain(token);
      }
      await stage.doRerank({ query: sampleQuery, documents: { type: 'text', values: ['a b'] } });
      await model.doEmbed({ values: ['a b'], inputType: 'query' });
      for (const value of [stage, model]) {
        expect(inspect(value, { depth: 20, showHidden: true })).not.toContain(token);
        expect(JSON.stringify(value) ?? '').not.toContain(token);
      }
      // The stage still behaves as a RerankStageV1 to the eye: public fields stay visible.
      expect(inspect(stage)).toContain(source);
    } finally {
      await Promise.all([stage.close(), model.close(), fromRegistry.close()]);
      await fromRegistryModel.close();
    }
  });

  test('not in a download error whose body or cause echoes the Authorization header', async () => {
    const echoBody: typeof globalThis.fetch = async (_url, init) => {
      const headers = new Headers(init?.headers);
      return new Response(`denied for ${headers.get('authorization')}`, { status: 403 });
    };
    const bodyError = await rejection(
      downloadHubModel(
        downloadOptions('http://hub.invalid', { token, fetch: echoBody, optionalFiles: [] }),
      ),
    );
    expect(TwostageError.isInstance(bodyError)).toBe(true);
    expect(everythingPrinted(bodyError)).not.toContain(token);

    const echoThrow: typeof globalThis.fetch = async (_url, init) => {
      const headers = new Headers(init?.headers);
      throw new TypeError(`proxy refused request with ${headers.get('authorization')}`);
    };
    const thrownError = await rejection(
      downloadHubModel(
        downloadOptions('http://hub.invalid', { token, fetch: echoThrow, optionalFiles: [] }),
      ),
    );
    expect(TwostageError.isInstance(thrownError)).toBe(true);
    expect(thrownError.message).toContain('proxy refused request');
    expect(everythingPrinted(thrownError)).not.toContain(token);
  });
});

describe('the hub token goes to the hub only', () => {
  test('kept on a redirect within the hub, dropped on a redirect to another origin', async () => {
    const seen: { url: string; authorization: string | null }[] = [];
    const fetchFunction: typeof globalThis.fetch = async (input, init) => {
      const url = String(input);
      const authorization = new Headers(init?.headers).get('authorization');
      seen.push({ url, authorization });
      if (url.includes('/old-name/')) {
        return new Response(null, {
          status: 307,
          headers: { location: url.replace('/old-name/', '/new-name/') },
        });
      }
      if (url.startsWith('http://hub.test/') && url.endsWith('.onnx')) {
        return new Response(null, {
          status: 302,
          headers: { location: 'http://cdn.test/blob/model.onnx' },
        });
      }
      if (url.startsWith('http://hub.test/') && authorization !== `Bearer ${token}`) {
        return new Response('gated', { status: 401 });
      }
      return new Response(
        readFileSync(join(source, url.endsWith('.onnx') ? 'onnx/model.onnx' : 'config.json')),
      );
    };
    await downloadHubModel(
      downloadOptions('http://hub.test', {
        repository: 'synthetic/old-name',
        files: ['config.json', 'onnx/model.onnx'],
        optionalFiles: [],
        token,
        fetch: fetchFunction,
      }),
    );
    expect(seen).toEqual([
      {
        url: 'http://hub.test/synthetic/old-name/resolve/main/config.json',
        authorization: `Bearer ${token}`,
      },
      {
        url: 'http://hub.test/synthetic/new-name/resolve/main/config.json',
        authorization: `Bearer ${token}`,
      },
      {
        url: 'http://hub.test/synthetic/old-name/resolve/main/onnx/model.onnx',
        authorization: `Bearer ${token}`,
      },
      {
        url: 'http://hub.test/synthetic/new-name/resolve/main/onnx/model.onnx',
        authorization: `Bearer ${token}`,
      },
      { url: 'http://cdn.test/blob/model.onnx', authorization: null },
    ]);
  });
});

describe('download safety', () => {
  test('a file name that climbs out of the model directory is refused before any request or write', async () => {
    const hub = await startFakeHub({ [repository]: source });
    try {
      for (const file of ['../../escape.json', 'onnx/../../../escape.onnx', '/etc/escape.onnx']) {
        const error = await rejection(
          downloadHubModel(downloadOptions(hub.endpoint, { files: [file], optionalFiles: [] })),
        );
        expect(InvalidArgumentError.isInstance(error)).toBe(true);
      }
      const stage = createLocalOnnx({
        cacheDir: cacheDirectory,
        hubEndpoint: hub.endpoint,
      }).reranker(repository, { worker: false, modelFile: '../../../../escape.onnx' });
      const error = await rejection(
        stage.doRerank({ query: 'q', documents: { type: 'text', values: ['d'] } }),
      );
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect(hub.requests).toEqual([]);
      expect(await readdir(cacheDirectory)).toEqual([]);
    } finally {
      await hub.close();
    }
  });

  test('repository ids with odd characters are refused', async () => {
    for (const id of ['owner/..', 'owner/na me', 'owner/name?x=1', 'owner/name#x', 'a/b/c', '..']) {
      const error = await rejection(
        downloadHubModel(downloadOptions('http://hub.invalid', { repository: id })),
      );
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
    }
  });

  test('two loads of the same model at once download each file once and both get whole files', async () => {
    const hub = await startFakeHub({ [repository]: source });
    try {
      const [first, second] = await Promise.all([
        downloadHubModel(downloadOptions(hub.endpoint)),
        downloadHubModel(downloadOptions(hub.endpoint)),
      ]);
      expect(second).toBe(first);
      expect(sha256(join(first, 'onnx', 'model.onnx'))).toBe(
        sha256(join(source, 'onnx', 'model.onnx')),
      );
      expect(sha256(join(first, 'tokenizer.json'))).toBe(sha256(join(source, 'tokenizer.json')));
      const cdnRequests = hub.requests.filter((request) => request.url.startsWith('/cdn/'));
      expect(cdnRequests.map((request) => request.url)).toEqual([
        `/cdn/${repository}/onnx/model.onnx`,
      ]);
      expect(existsSync(join(first, 'onnx', 'model.onnx.partial'))).toBe(false);
    } finally {
      await hub.close();
    }
  });
});

describe('resources', () => {
  test('close() rejects a call in flight with a typed error, is idempotent, and the stage works again after', async () => {
    const stage = createLocalOnnx().reranker(source, { deterministic: true });
    await stage.load();
    const values = Array.from(
      { length: 400 },
      (_, index) => sampleDocuments[index % sampleDocuments.length] as string,
    );
    // The handler is attached at once: the call may reject while close() is still awaited.
    const settled = rejection(
      stage.doRerank({ query: sampleQuery, documents: { type: 'text', values } }),
    );
    await Promise.all([stage.close(), stage.close()]);
    await stage.close();
    const error = await settled;
    expect(TwostageError.isInstance(error)).toBe(true);
    const after = await stage.doRerank({
      query: sampleQuery,
      documents: { type: 'text', values: ['bank loan'] },
    });
    expect(after.ranking.map((entry) => entry.index)).toEqual([0]);
    await stage.close();
  });

  test('a worker that died under a loaded stage is restarted by the next call', async () => {
    const stage = createLocalOnnx().reranker(source);
    try {
      const loaded = await stage.load();
      await loaded.backend.close(); // what a crash of the worker leaves behind
      expect(loaded.backend.alive).toBe(false);
      const after = await stage.doRerank({
        query: sampleQuery,
        documents: { type: 'text', values: ['bank loan'] },
      });
      expect(after.ranking.map((entry) => entry.index)).toEqual([0]);
    } finally {
      await stage.close();
    }
  });

  test('a process that used a stage in a worker and never called close() still exits', async () => {
    const outcome = await runSourceScript(join(cacheDirectory, 'use-without-close.mjs'), [
      `const { createLocalOnnx } = await import(${JSON.stringify(sourceModuleUrl('index.ts'))});`,
      `const stage = createLocalOnnx().reranker(${JSON.stringify(source)});`,
      `const result = await stage.doRerank({ query: 'bank', documents: { type: 'text', values: ['bank loan', 'cat'] } });`,
      "console.log('ranked', result.ranking.length);",
    ]);
    expect(outcome.output).toContain('ranked 2');
    expect(outcome.code).toBe(0);
  }, 60_000);
});

describe('input validation', () => {
  test('topN keeps the best N; a negative or fractional topN is an InvalidArgumentError', async () => {
    const stage = createLocalOnnx().reranker(source, { worker: false });
    try {
      const documents = { type: 'text' as const, values: [...sampleDocuments] };
      const all = await stage.doRerank({ query: sampleQuery, documents });
      const top3 = await stage.doRerank({ query: sampleQuery, documents, topN: 3 });
      expect(top3.ranking).toEqual(all.ranking.slice(0, 3));
      const more = await stage.doRerank({ query: sampleQuery, documents, topN: 1000 });
      expect(more.ranking).toEqual(all.ranking);
      for (const topN of [-1, 1.5, Number.NaN]) {
        const error = await rejection(stage.doRerank({ query: sampleQuery, documents, topN }));
        expect(InvalidArgumentError.isInstance(error)).toBe(true);
      }
    } finally {
      await stage.close();
    }
  });

  test('empty strings and a very long document score, and the long one is reported as truncated', async () => {
    const stage = createLocalOnnx().reranker(source, { worker: false });
    try {
      const long = 'Lãi suất ngân hàng 🏦 bank loan rate '.repeat(20_000);
      const result = await stage.doRerank({
        query: '',
        documents: { type: 'text', values: ['', long, 'bank'] },
      });
      expect(result.ranking.map((entry) => entry.index).sort()).toEqual([0, 1, 2]);
      for (const entry of result.ranking) expect(Number.isFinite(entry.score)).toBe(true);
      expect(JSON.stringify(result.warnings)).toContain('truncated');
    } finally {
      await stage.close();
    }
  });
});

describe('shared loading', () => {
  test('one caller aborting a cold start does not fail another caller sharing the load', async () => {
    const hub = await startFakeHub({ [repository]: source });
    try {
      const provider = createLocalOnnx({ cacheDir: cacheDirectory, hubEndpoint: hub.endpoint });
      for (const kind of ['reranker', 'embedding model'] as const) {
        await rm(join(cacheDirectory, 'hub'), { recursive: true, force: true });
        const controller = new AbortController();
        const reranker = provider.reranker(repository, { worker: false });
        const embedder = provider.embeddingModel(repository, { worker: false });
        const call = (abortSignal?: AbortSignal) =>
          kind === 'reranker'
            ? reranker.doRerank({
                query: sampleQuery,
                documents: { type: 'text', values: ['bank loan'] },
                ...(abortSignal === undefined ? {} : { abortSignal }),
              })
            : embedder.doEmbed({
                values: ['bank loan'],
                inputType: 'query',
                ...(abortSignal === undefined ? {} : { abortSignal }),
              });
        const aborted = call(controller.signal);
        const kept = call();
        controller.abort();
        try {
          expect((await rejection(aborted)).name).toBe('AbortedError');
          await expect(kept).resolves.toBeDefined();
        } finally {
          await Promise.all([reranker.close(), embedder.close()]);
        }
      }
    } finally {
      await hub.close();
    }
  });
});

describe('numeric options', () => {
  test('out-of-range numeric options are an InvalidArgumentError naming the option', async () => {
    const cases = [
      { maxLength: -5 },
      { maxLength: 1.5 },
      { maxBatchTokens: Number.NaN },
      { maxBatchSize: 0 },
      { threads: -1 },
      { queryMaxTokens: -1 },
    ];
    // Refused when the stage is created, before anything loads.
    for (const options of cases) {
      let error: unknown;
      try {
        createLocalOnnx().reranker(source, { worker: false, ...options });
      } catch (caught) {
        error = caught;
      }
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain(`options.${Object.keys(options)[0] as string}`);
    }
  });

  test('a maxLength smaller than the special tokens keeps every pair well-formed', async () => {
    const stage = createLocalOnnx().reranker(source, { worker: false, maxLength: 2 });
    try {
      const result = await stage.doRerank({
        query: sampleQuery,
        documents: { type: 'text', values: [...sampleDocuments] },
      });
      expect(result.ranking.map((entry) => entry.index).sort((a, b) => a - b)).toEqual(
        sampleDocuments.map((_, index) => index),
      );
      // Only the special tokens remain: every pair reads the same, so every score is the same.
      expect(new Set(result.ranking.map((entry) => entry.score)).size).toBe(1);
    } finally {
      await stage.close();
    }
  });
});
